import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createCommandHandler } from '../../src/commands/command-path.ts';
import type { PlanCommand } from '../../src/domain/plan/commands.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';

/** `ledger view` and the rest, run as a real child process: its exit code, stdout and stderr. */
export const run = promisify(execFile);
export const ledger = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ['bin/ledger.js', ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

export const actor = { id: 'u1', name: 'Jo Bloggs', organisation: 'Dorset CCG', role: 'plan-manager' };

/** A plan agreed in March 2015, its action due March 2018, completed in August 2017: all recorded today. */
export const recordPlan = async (file: string) => {
  const store = openSqliteEventStore({ file });
  const handle = createCommandHandler({ store });
  let n = 0;
  const send = (command: PlanCommand, effectiveOn?: string) =>
    handle('dorset', command, { actor, commandId: `c${n++}`, correlationId: 'view', provenance: { source: 'api' }, effectiveOn });
  await send(
    { type: 'RegisterPlan', data: { planId: 'dorset', title: 'Dorset plan', kind: 'other', owner: 'Dorset CCG', ragLegend: [] } },
    '2015-03',
  );
  await send(
    {
      type: 'AgreeAction',
      data: {
        ref: '1.1',
        text: 'Map the services',
        recommendationRefs: [],
        leadOrganisations: ['Dorset CCG'],
        partnerOrganisations: [],
        intendedOutcomes: [],
        due: { kind: 'date', date: '2018-03' },
        relatedActionRefs: [],
      },
    },
    '2015-03',
  );
  await send({ type: 'CompleteAction', data: { ref: '1.1', completedOn: '2017-08' } });
  await store.close();
};
