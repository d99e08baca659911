import type { Command } from 'commander';
import { v7 as uuidv7 } from 'uuid';
import { createCommandHandler } from '../commands/command-path.ts';
import { DomainError } from '../domain/errors.ts';
import type { PlanCommand } from '../domain/plan/commands.ts';
import { requireExistingDataDir } from '../existing-data-dir.ts';
import { configFor, withBackend } from './with-backend.ts';

interface Options {
  reason: string;
  dataDir?: string;
}

/**
 * `ledger retract-plan` and `ledger reinstate-plan`: the operator, on the machine holding the
 * data directory, takes a plan out of every current view (a document imported by mistake) or
 * puts it back. The same command as POST /plans/:planId/retraction, attributed to the operator.
 */
export const registerRetractionCommands = (program: Command) => {
  const run = async (planId: string, options: Options, command: PlanCommand, done: string) => {
    const config = configFor(options.dataDir);
    requireExistingDataDir(config, { command: command.type === 'RetractPlan' ? 'retract-plan' : 'reinstate-plan' });
    await withBackend(config, async (backend) => {
      try {
        const result = await createCommandHandler({ store: backend.events })(planId, command, {
          actor: config.operator,
          commandId: uuidv7(),
          freshCommandId: true,
          correlationId: uuidv7(),
          provenance: { source: 'cli' },
        });
        process.stdout.write(
          `${done} plan "${planId}" (event ${result.eventIds[0]}, position ${result.lastPosition}): ${options.reason}\n`,
        );
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        process.stderr.write(`ledger: plan "${planId}": ${error.message} [${error.code}]\nNothing was written.\n`);
        process.exitCode = 1;
      }
    });
  };
  program
    .command('retract-plan <planId>')
    .description(
      'Take a plan out of every current view and report (e.g. a document imported by mistake); its history stays, ' +
        'and the same file may then be imported again under a new plan id',
    )
    .requiredOption('--reason <text>', 'why the plan is retracted (recorded in the ledger)')
    .option('-d, --data-dir <dir>', 'where the ledger file lives (overrides LEDGER_DATA_DIR)')
    .action((planId: string, options: Options) =>
      run(planId, options, { type: 'RetractPlan', data: { reason: options.reason } }, 'Retracted'),
    );
  program
    .command('reinstate-plan <planId>')
    .description('Reverse a retraction: the plan returns to the current views and reports')
    .requiredOption('--reason <text>', 'why the plan is reinstated (recorded in the ledger)')
    .option('-d, --data-dir <dir>', 'where the ledger file lives (overrides LEDGER_DATA_DIR)')
    .action((planId: string, options: Options) =>
      run(planId, options, { type: 'ReinstatePlan', data: { reason: options.reason } }, 'Reinstated'),
    );
};
