import os from 'node:os';

/**
 * The system user running the command, as the ledger names who did something from the command line.
 * os.userInfo() throws where the process's uid has no entry in the password database (a container
 * run with an arbitrary uid, as OpenShift and `docker run --user` do): the user is then named by the
 * uid itself, so the command still runs and is still attributed. Not by $USER, which anyone may set:
 * a name in the access log must be the system's.
 */
export const commandLineUser = (): string => {
  try {
    return os.userInfo().username;
  } catch {
    return `uid-${process.getuid?.() ?? 'unknown'}`;
  }
};

/** `cli:<user>@<host>`: the principal a command-line action or read is recorded under. */
export const commandLinePrincipal = (user = commandLineUser()): string => `cli:${user}@${os.hostname()}`;
