import type { Logger } from 'pino';

/** SIGINT/SIGTERM stop gracefully; a second signal while stopping exits at once. */
export const stopOnSignals = (server: { stop: (reason?: string) => Promise<void>; logger: Logger }) => {
  let signalled = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (signalled) process.exit(130);
      signalled = true;
      server.stop(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          server.logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
};
