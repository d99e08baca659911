import os from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AccessLogEntry } from '../../src/access/port.ts';
import { auditedRead } from '../../src/cli/command-line-read-audit.ts';
import { commandLineUser } from '../../src/cli/command-line-user.ts';

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

  it('takes the name from the environment, or the uid, rather than failing', () => {
    vi.spyOn(os, 'userInfo').mockImplementation(noPasswdEntry);
    vi.stubEnv('USER', 'ops');
    expect(commandLineUser()).toBe('ops');
    vi.stubEnv('USER', '');
    vi.stubEnv('LOGNAME', '');
    expect(commandLineUser()).toBe(`uid-${process.getuid?.() ?? 'unknown'}`);
  });

  it("records a plan read under that name and hands the answer back, not the lookup's error", async () => {
    vi.spyOn(os, 'userInfo').mockImplementation(noPasswdEntry);
    vi.stubEnv('USER', 'ops');
    const recorded: AccessLogEntry[] = [];
    const backend = { accessLog: { record: async (e: AccessLogEntry) => void recorded.push(e) } } as never;
    await expect(auditedRead(backend, { command: 'view plan', planId: 'dorset' }, async () => 'the plan')).resolves.toBe('the plan');
    expect(recorded).toEqual([expect.objectContaining({ principalId: `cli:ops@${os.hostname()}`, principalName: 'ops', status: 200 })]);
  });
});
