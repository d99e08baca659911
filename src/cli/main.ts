import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig } from '../config.ts';
import { StorageFull } from '../store/storage-full.ts';
import { NEW_KEY_FLAG } from '../integrity/signing-key-in-force.ts';
import { plainText } from './plain-text-option.ts';
import { linesShown } from './terminal-text.ts';
import { debugging } from './debug-setting.ts';

/** Adds `serve`, which starts the HTTP service. */
const addServeCommand = (program: Command) => {
  program
    .command('serve')
    .description('Start the HTTP service (configured by PORT, HOST, LEDGER_DATA_DIR and LEDGER_STORE: the embedded store or KurrentDB)')
    .option('-p, --port <port>', 'port to listen on (overrides PORT)')
    .option('--host <host>', 'address to listen on (overrides HOST)')
    .option('-d, --data-dir <dir>', 'where the ledger file lives (overrides LEDGER_DATA_DIR)')
    .option('--no-demo', 'do not import the example plans into an empty ledger (or set LEDGER_DEMO_DATA=false)')
    .option(
      `${NEW_KEY_FLAG} [reason]`,
      "the ledger's signing key is lost: start with a new one (or the one configured), recorded in the ledger as an operator's " +
        'replacement of the lost key',
      plainText,
    )
    .action(async (options: { port?: string; host?: string; dataDir?: string; demo?: boolean; newSigningKey?: string | true }) => {
      const config = loadConfig({
        ...process.env,
        ...(options.demo === false ? { LEDGER_DEMO_DATA: 'false' } : {}),
        ...(options.port ? { PORT: options.port } : {}),
        ...(options.host ? { HOST: options.host } : {}),
        ...(options.dataDir ? { LEDGER_DATA_DIR: options.dataDir } : {}),
      });
      if (options.newSigningKey !== undefined)
        config.replaceLostSigningKey =
          options.newSigningKey === true ? 'the previous signing key was lost; the operator started a new one' : options.newSigningKey;
      // Loaded here, not at the top: the HTTP service's modules are most of what `ledger` would load, and no other command needs them.
      const { startServer, stopOnSignals } = await import('../server.ts');
      // Signals stop the service from when it listens: a start that folds a long backlog can be stopped part way.
      await startServer(config, undefined, stopOnSignals);
    });
};

/**
 * Each top-level command by name, with what adds it, in the order help lists them. A module is loaded only when its
 * command runs: loading every command's modules through tsx is most of a short command's time (about 0.8 s of 1.3 s
 * for `ledger --help`), and a command line that names one command needs only that one's.
 */
const COMMANDS: readonly [names: readonly string[], add: (program: Command) => Promise<void> | void][] = [
  [['serve'], addServeCommand],
  [['rebuild'], async (p) => (await import('./rebuild-command.ts')).addRebuildCommand(p)],
  [['view'], async (p) => (await import('./view-command.ts')).addViewCommand(p)],
  [['import'], async (p) => (await import('./import-command.ts')).registerImportCommands(p)],
  [['export-plan'], async (p) => (await import('./export-plan-command.ts')).registerExportPlanCommand(p)],
  [['retract-plan', 'reinstate-plan'], async (p) => (await import('./retraction-commands.ts')).registerRetractionCommands(p)],
  [['keys'], async (p) => void p.addCommand((await import('./keys-command.ts')).keysCommand())],
  [['verify', 'export', 'verify-export'], async (p) => (await import('./ledger-integrity-commands.ts')).registerIntegrityCommands(p)],
  [['verify-view'], async (p) => (await import('./verify-view-command.ts')).registerVerifyViewCommand(p)],
  [['rotate-signing-key'], async (p) => (await import('./rotate-signing-key-command.ts')).registerRotateSigningKeyCommand(p)],
  [['backup', 'restore'], async (p) => (await import('./backup-commands.ts')).registerBackupCommands(p)],
  [['access-log'], async (p) => void p.addCommand((await import('./access-log-commands.ts')).accessLogCommand())],
  [['copy'], async (p) => (await import('./copy-command.ts')).registerCopyCommand(p)],
  [['openapi'], async (p) => (await import('./openapi-command.ts')).registerOpenApiCommand(p)],
  [['evidence-pack', 'verify-pack'], async (p) => (await import('./evidence-pack-commands.ts')).registerEvidencePackCommands(p)],
  [['attach-evidence'], async (p) => (await import('./attach-evidence-command.ts')).registerAttachEvidenceCommand(p)],
];

/** SQLite's refusal to write a database file this process may only read (SQLITE_READONLY and its kinds). */
const isReadOnlyDatabase = (error: unknown): boolean =>
  typeof (error as { code?: unknown }).code === 'string' && (error as { code: string }).code.startsWith('SQLITE_READONLY');

/** The name of every top-level command, as the table above gives them. */
export const COMMAND_NAMES: readonly string[] = COMMANDS.flatMap(([names]) => names);

/**
 * Builds the `ledger` command line. Each subcommand is a thin shell over the same code the HTTP API uses. Given the
 * command a command line names, it adds only the commands of that one's module; given none, or a name it does not know,
 * every command, for help and for Commander's "did you mean".
 */
export const buildCli = async (named?: string) => {
  const program = new Command('ledger')
    .description('Assurance Ledger: an event-sourced audit ledger for action plans, recommendations and actions')
    .showHelpAfterError();
  const one = COMMANDS.find(([names]) => named !== undefined && names.includes(named));
  for (const [, add] of one ? [one] : COMMANDS) await add(program);
  return program;
};

/** Every command of the tree, the program's included. */
const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)];

/**
 * A reader that goes away (`ledger backup | head`, the service that started a scheduled backup
 * stopping meanwhile) does not stop the work, which goes on to its end and records its own
 * outcome. But what it printed is lost, maybe a key printed once (`ledger keys create | …`), so
 * the command then exits 5 (not 1, which a backup's table keeps for "failed, nothing left") and
 * says so on stderr if that is still read. Any other error writing the output is a failure at
 * once. The service logs through its own writer; a lost start-up line does not change how it exits.
 */
const OUTPUT_LOST = 5;
let outputLost = false;
/** Set as `serve` starts: the command is known once parsed, whatever options come before it. */
let serving = false;
const outliveClosedOutput = () => {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      outputLost = true;
    });
  // At exit, when every failed write has been heard of.
  process.on('exit', () => {
    if (!outputLost || serving) return;
    if (!process.exitCode) process.exitCode = OUTPUT_LOST;
    try {
      process.stderr.write('ledger: the reader of its output went away: what it printed is lost (the work itself was done)\n');
    } catch {
      // stderr's reader went away too.
    }
  });
};

/**
 * The command line's own error lines, below and Commander's: each through linesShown, so an argument echoed as typed (an
 * unknown option holding an ESC, a C1 CSI) reaches the terminal with its control characters shown, never obeyed.
 */
const sayError = (line: string) => void process.stderr.write(linesShown(`${line}\n`));
/** A command's own way of writing Commander's errors (some add "Nothing was written."), given the text with its controls shown. */
const showingControls = (command: Command) => {
  const own = command.configureOutput().outputError ?? ((text: string, write: (text: string) => void) => write(text));
  return { outputError: (text: string, write: (text: string) => void) => own(linesShown(text), write) };
};

export const main = async (argv: string[]) => {
  outliveClosedOutput();
  // The word right after `ledger`, when it is no option. The program takes no option of its own but its help, so one
  // before the command's name is `-h` or a mistake: either prints the program's help, which lists every command.
  const first = argv[2];
  const program = await buildCli(first !== undefined && !first.startsWith('-') ? first : undefined);
  program.hook('preAction', (_program, command) => {
    serving = command.name() === 'serve';
  });
  // Commander's own errors (an unknown option, a missing one, a value refused) come here rather than exit 1.
  for (const command of everyCommand(program)) command.exitOverride().configureOutput(showingControls(command));
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof ConfigError) {
      sayError(error.message);
      process.exit(2);
    }
    // A value an action refused itself: Commander printed nothing of it.
    if (error instanceof InvalidArgumentError) {
      sayError(`error: ${error.message}`);
      process.exit(2);
    }
    // Help exits 0; a usage error exits 2, as every command's table of exit codes says, not 1 ("failed"). Commander printed it.
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
    if (error instanceof StorageFull) {
      sayError(`ledger: ${error.message}: nothing more was written; free some space there and run it again`);
      process.exit(1);
    }
    // A data directory it may read but not write (another user's): a usage error as one it may not read is, not a failure.
    if (isReadOnlyDatabase(error)) {
      sayError(
        `ledger: this process may not write the data directory's databases (${(error as Error).message}): ` +
          'run it as the user the server runs as. Nothing was changed.',
      );
      process.exit(2);
    }
    // A person at a terminal needs what went wrong, not a stack trace; LEDGER_DEBUG=1 shows it.
    if (debugging(process.env.LEDGER_DEBUG)) throw error;
    sayError(`ledger: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
};
