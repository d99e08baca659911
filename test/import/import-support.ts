import fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { StoredEvent } from '../../events/envelope.ts';
import { importPlan, type ImportRequest } from '../../src/import/import-plan.ts';
import { openOrganisationAliases } from '../../src/organisations/organisation-aliases.ts';
import type { EventStore } from '../../src/store/port.ts';
import { collect } from '../support/collect.ts';
import { planStream } from '../../events/streams.ts';
import { toPlanFact } from '../../src/domain/plan/plan-fact.ts';
import { createBatchHandler } from '../../src/commands/command-path.ts';

export const NOW = new Date('2026-11-23T12:00:00.000Z');
export const OPERATOR = { id: 'importer-1', name: 'Sam Importer', organisation: 'NHS Test Trust', role: 'operator' };
export const DORSET = 'dorset-crisis-care-concordat-action-plan.txt';
export const DEVON = 'recommendation-actions-progress-update-2022.txt';

export const seed = (name: string): Buffer => fs.readFileSync(new URL(`../../examples/plans/${name}`, import.meta.url));
export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** The import as the CLI and the API run it, on a real store, attributed to OPERATOR at NOW. */
export const importer = (store: EventStore, dataDir?: string) => {
  const aliases = openOrganisationAliases(dataDir);
  const deps = {
    store,
    batch: createBatchHandler({ store, clock: () => NOW }),
    directory: aliases,
    actor: OPERATOR,
    clock: () => NOW,
    learnOrganisations: aliases.learn,
  };
  return (request: Omit<ImportRequest, 'content'> & { content?: ImportRequest['content'] }) =>
    importPlan(deps, { ...request, content: request.content ?? seed(request.fileName) });
};

export const planEvents = async (store: EventStore, planId: string): Promise<StoredEvent[]> =>
  collect(store.readStream(planStream(planId)));

/** The facts of a plan as the decider sees them, without ids: what two imports of the same plan must agree on. */
export const comparableFacts = async (store: EventStore, planId: string) =>
  (await planEvents(store, planId)).map((e) => {
    const fact = toPlanFact(e);
    return { type: fact.type, data: fact.data, effectiveOn: e.effectiveOn };
  });

export const ofType = (events: StoredEvent[], type: string) => events.filter((e) => e.type === type);
export const dataOf = <T = Record<string, unknown>>(events: StoredEvent[], type: string): T[] =>
  ofType(events, type).map((e) => e.data as T);
