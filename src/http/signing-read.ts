/**
 * The options of a GET whose answer may sign a checkpoint first (a signed view, a plan's export, an
 * evidence pack): no HEAD beside it. Fastify adds one to every GET and runs the GET's handler for it,
 * so a HEAD would sign, a write that a safe method must not make (RFC 9110 §9.2.1). Without it, HEAD
 * is answered 405 with `Allow: GET` (route-methods.ts) before anything is read, signed or logged.
 */
export const SIGNING_READ = { exposeHeadRoute: false } as const;
