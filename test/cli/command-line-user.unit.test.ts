import os from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commandLinePrincipal, commandLineUser } from '../../src/cli/command-line-user.ts';

/** What os.userInfo() throws where the uid has no entry in /etc/passwd (a container run with an arbitrary uid). */
const noPasswdEntry = () => {
  throw Object.assign(new Error('A system error occurred: uv_os_get_passwd returned ENOENT (no such file or directory)'), {
    code: 'ERR_SYSTEM_ERROR',
  });
};

describe('the command line names its user where the uid has no password entry', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('names the user by the uid rather than failing, and never by $USER, which anyone may set', () => {
    vi.spyOn(os, 'userInfo').mockImplementation(noPasswdEntry);
    vi.stubEnv('USER', 'someone-else');
    expect(commandLineUser()).toBe(`uid-${process.getuid!()}`);
    expect(commandLinePrincipal()).toBe(`cli:uid-${process.getuid!()}@${os.hostname()}`);
  });

  it('names the user from the password database where it has an entry', () => {
    expect(commandLineUser()).toBe(os.userInfo().username);
  });
});
