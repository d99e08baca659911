import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../../events/envelope.ts';
import type { EventStore } from '../store/port.ts';
import { importPlan, type ImportRequest, type ImportSummary } from './import-plan.ts';
import type { OrganisationAliases } from '../organisations/organisation-aliases.ts';
import { createBatchHandler } from '../commands/command-path.ts';

const examples = (name: string) => fileURLToPath(new URL(`../../examples/plans/${name}`, import.meta.url));

/** The two published plans in examples/plans, with what the documents themselves do not say (owner, a title). */
export const demoPlans: (Omit<ImportRequest, 'content'> & { path: string })[] = [
  {
    path: examples('dorset-crisis-care-concordat-action-plan.txt'),
    fileName: 'dorset-crisis-care-concordat-action-plan.txt',
    title: 'Dorset Mental Health Crisis Care Concordat action plan (updates to August 2017)',
    owner: 'Dorset Crisis Care Concordat partners',
    kind: 'crisis-care-concordat',
  },
  {
    path: examples('recommendation-actions-progress-update-2022.txt'),
    fileName: 'recommendation-actions-progress-update-2022.txt',
    title: 'Independent investigation: update on recommendation actions, 16/08/22',
    owner: 'The Trust (not named in the published update)',
    kind: 'investigation-action-plan',
  },
];

/**
 * First start: an empty ledger gets the example plans, imported like any other file
 * (same commands, same provenance), so a new user sees real plans with real history.
 * A ledger that holds anything at all is left alone.
 */
export const loadDemoData = async (deps: {
  store: EventStore;
  aliases: OrganisationAliases;
  actor: Actor;
  clock?: () => Date;
}): Promise<ImportSummary[] | undefined> => {
  if ((await deps.store.count()) > 0) return undefined;
  const batch = createBatchHandler({ store: deps.store, ...(deps.clock ? { clock: deps.clock } : {}) });
  const summaries: ImportSummary[] = [];
  for (const { path, ...request } of demoPlans) {
    summaries.push(
      await importPlan(
        {
          store: deps.store,
          batch,
          directory: deps.aliases,
          actor: deps.actor,
          learnOrganisations: deps.aliases.learn,
          ...(deps.clock ? { clock: deps.clock } : {}),
        },
        { ...request, content: fs.readFileSync(path) },
      ),
    );
  }
  return summaries;
};
