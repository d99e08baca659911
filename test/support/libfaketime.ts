import fs from 'node:fs';

/** Where Debian's `faketime` package puts the library (any architecture), or undefined when it is not installed. */
export const findLibfaketime = (): string | undefined => {
  const roots = [
    '/usr/lib',
    '/usr/local/lib',
    ...fs
      .readdirSync('/usr/lib')
      .filter((d) => d.endsWith('-linux-gnu'))
      .map((d) => `/usr/lib/${d}`),
  ];
  return roots.map((root) => `${root}/faketime/libfaketimeMT.so.1`).find((file) => fs.existsSync(file));
};

/** Environment that starts a process with its wall clock `offset` away from the machine's (e.g. "-2h"); monotonic timers are left alone. */
export const fakeClockEnv = (library: string, offset: string): Record<string, string> => ({
  LD_PRELOAD: library,
  FAKETIME: offset,
  FAKETIME_DONT_FAKE_MONOTONIC: '1',
  FAKETIME_NO_CACHE: '1',
});
