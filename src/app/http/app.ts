import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { Actor } from '../../../events/envelope.ts';
import type { EventStore } from '../../store/port.ts';
import type { StorageHealth } from '../../store/storage-full.ts';
import { notAfterLedgerNow } from '../../store/ledger-now.ts';
import { jsonSerializerCompiler } from '../../http/json-serializer.ts';
import { commandRunner, type CommandRouteDeps } from '../../http/command-route.ts';
import { answerClientError } from '../../http/client-error.ts';
import { answerFrameworkError, refuseWhileShuttingDown, registerErrorHandlers } from '../../http/error-handler.ts';
import { acceptJsonBodies } from '../../http/json-body.ts';
import { openApiDocument } from '../../http/openapi-document.ts';
import { refuseIllFormedText } from '../../http/well-formed-text.ts';
import { refuseWhileStarting } from '../../http/refuse-while-starting.ts';
import { refuseApiReadsWhileViewsReset } from '../../http/refuse-while-views-reset.ts';
import { logReplacedRequestIds, requestIdOf } from '../../http/tracing-headers.ts';
import '../../api/http/route-access.ts';
import type { AccessControl } from '../../access/access-control.ts';
import { commandAccess } from '../../access/http/command-access.ts';
import { installAccessControl } from '../../access/http/install-access-control.ts';
import { eventReadRoutes } from '../../http/routes/event-read-routes.ts';
import { healthRoutes } from '../../http/routes/health-routes.ts';
import type { LedgerIntegrity } from '../../integrity/ledger-integrity.ts';
import { ledgerIntegrityRoutes } from '../../http/routes/ledger-integrity-routes.ts';
import { refuseQueryOnWrites } from '../../api/http/writes-take-no-query.ts';
import { actionRoutes } from '../../domain/plan/actions/http/action-routes.ts';
import { correctionRoutes } from '../../domain/plan/corrections/http/correction-routes.ts';
import { progressRoutes } from '../../domain/plan/progress/http/progress-routes.ts';
import { recommendationRoutes } from '../../domain/plan/recommendations/http/recommendation-routes.ts';
import { registrationRoutes } from '../../domain/plan/registration/http/registration-routes.ts';
import { retractionRoutes } from '../../domain/plan/retraction/http/retraction-routes.ts';
import type { ReadModelDeps } from '../../http/read-query.ts';
import { planReadRoutes } from '../../http/routes/plan-read-routes.ts';
import { reportRoutes } from '../../http/routes/report-routes.ts';
import { importRoutes } from '../../http/routes/import-routes.ts';
import { openOrganisationAliases, type OrganisationAliases } from '../../organisations/organisation-aliases.ts';
import { createCommandPath, type CommandHandler } from '../../commands/command-path.ts';
import { createSessions, type SessionSettings } from '../../access/session.ts';
import type { OidcSignIn } from '../../access/oidc-sign-in.ts';
import { prepareWebRoot, webPages } from '../../web/http/web-app.ts';
import { refuseUndecodableQuery } from '../../http/undecodable-query.ts';
import type { BlobStore } from '../../blobs/port.ts';
import type { EvidenceSettings } from '../../evidence/receive-evidence-file.ts';
import { evidenceRoutes } from '../../http/evidence/evidence-routes.ts';
import { downloadRoutes } from '../../http/evidence/download-routes.ts';
import { packRoutes } from '../../http/evidence/pack-routes.ts';
import { signedViewRoutes } from '../../http/routes/signed-view-routes.ts';
import { verifyEvidenceFiles } from '../../evidence/verify-evidence-files.ts';
import type { LedgerMetrics } from '../../metrics/ledger-metrics.ts';
import type { OperationsStore } from '../../operations/port.ts';
import { countRequests, metricsRoutes } from '../../metrics/http/metrics-routes.ts';

/**
 * Access control is a dependency, not a setting: the server always passes it. Only code
 * that builds the app itself (the authentication benchmark's baseline, tests of other
 * layers) may build one without it, and must then name the operator every write is
 * attributed to. No environment variable can turn access control off.
 */
export type AppDeps = CommonDeps & ({ access: AccessControl; operator?: never } | { access?: undefined; operator: Actor });

interface CommonDeps {
  store: EventStore;
  logger?: FastifyServerOptions['loggerInstance'] | boolean;
  bodyLimit?: number;
  clock?: () => Date;
  /** Set by the server during graceful shutdown so /ready turns away new traffic. */
  isShuttingDown?: () => boolean;
  /**
   * Set by the server until its start has folded the views to the ledger's head: why it is not serving yet. Meanwhile
   * /ready says 503 starting, and every route that reads the views or writes refuses (refuse-while-starting.ts).
   */
  starting?: () => string | undefined;
  /** Whether the store can write now (a full disk makes /ready 503); always writable when not given. */
  storageHealth?: () => StorageHealth;
  handle?: CommandHandler;
  /** The read models (plan status, timelines, reports); their routes are registered only when given. */
  readModels?: ReadModelDeps;
  /** The organisation alias table imports read and extend (default: the shipped table, nothing learned). */
  organisationAliases?: OrganisationAliases;
  /** Checkpoints, proofs and verification (src/integrity); the /ledger integrity routes exist only when given. */
  ledger?: LedgerIntegrity;
  /**
   * What every instance on the ledger recorded of its operations (src/operations), read as /metrics reads it: the integrity
   * page says when the last verification ran, what it found and how long it took, so a person knows what "Verify now"
   * holds them for. None shown when not given.
   */
  operations?: Pick<OperationsStore, 'latest'>;
  /** The pages for people under /web (src/web): only with access control and the read models, since every page needs both. */
  web?: { sessions: SessionSettings; oidc?: OidcSignIn | undefined };
  /** Evidence files: the blob store and the upload settings; the evidence routes exist only when given. */
  evidence?: { blobs: BlobStore; settings: EvidenceSettings };
  /** Proxies whose X-Forwarded-* headers are believed (fastify's trustProxy): behind TLS termination, session cookies become Secure. */
  trustProxy?: FastifyServerOptions['trustProxy'];
  /** Prometheus metrics (src/metrics): GET /metrics and the request counters exist only when given. */
  metrics?: LedgerMetrics;
}

/** The longest path segment routed, in characters as sent (percent-encoded): see routerOptions below. */
export const MAX_PATH_SEGMENT = 300 * 9;

/** Builds the whole HTTP application without listening: tests call inject(), the server calls listen(). */
export const buildApp = async (deps: AppDeps): Promise<FastifyInstance> => {
  const { logger = false } = deps;
  const headerLimit = deps.access?.settings.headerLimit ?? 16 * 1024;
  const app = Fastify({
    ...(typeof logger === 'boolean' ? { logger } : { loggerInstance: logger }),
    bodyLimit: deps.bodyLimit ?? 256 * 1024,
    // Header and time limits against slow or oversized requests (they apply once the server listens).
    // The request timeout is checked this often (Node's default, 30 s, let a 30 s timeout fire after up to a minute).
    http: { maxHeaderSize: headerLimit, connectionsCheckingInterval: 2_000 },
    clientErrorHandler: answerClientError(headerLimit),
    requestTimeout: 30_000,
    // Every log line of a request carries its id; a caller's usable X-Request-Id is kept so logs join up across services.
    requestIdHeader: false,
    genReqId: requestIdOf,
    // Requests arriving while the server drains get the shutting-down problem below instead of Fastify's own 503.
    return503OnClosing: false,
    frameworkErrors: answerFrameworkError,
    // The longest path segment is an organisation's name (/organisations/:organisation): up to 300 characters (UTF-16
    // units), each at most nine once percent-encoded (three UTF-8 bytes; a four-byte one is two units). Fastify's default
    // of 100 answered a long but valid name 414.
    routerOptions: { maxParamLength: MAX_PATH_SEGMENT },
    ...(deps.trustProxy === undefined ? {} : { trustProxy: deps.trustProxy }),
  });
  refuseWhileShuttingDown(app, deps.isShuttingDown ?? (() => false));
  if (deps.metrics) countRequests(app, deps.metrics);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(jsonSerializerCompiler);
  const routeMethods = registerErrorHandlers(app);
  logReplacedRequestIds(app);
  acceptJsonBodies(app);
  refuseQueryOnWrites(app);
  refuseIllFormedText(app);
  // Commands are JSON; a text body is refused with 415 rather than half-understood.
  app.removeContentTypeParser('text/plain');

  await app.register(swagger, openApiDocument);
  const web = deps.web && deps.access && deps.readModels ? { ...deps.web, access: deps.access, readModels: deps.readModels } : undefined;
  const sessions = web && createSessions({ settings: web.sessions, keys: web.access.keys, directory: web.access.directory });
  const pageGate = sessions && (await prepareWebRoot(app, sessions));
  if (deps.access) await installAccessControl(app, deps.access, pageGate);
  // After access control and its headers: a refusal names its caller in the access log and carries the security headers.
  refuseUndecodableQuery(app);
  if (deps.starting) refuseWhileStarting(app, deps.starting);
  if (deps.readModels) refuseApiReadsWhileViewsReset(app, { runner: deps.readModels.runner, ledgerHead: () => deps.store.headPosition() });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  // One command path for the app: single commands and imports share its plan queues and state cache.
  const commands = createCommandPath({ store: deps.store, ...(deps.clock ? { clock: deps.clock } : {}) });
  const commandDeps: CommandRouteDeps = { handle: deps.handle ?? commands.handle, ...commandAccess(deps) };
  // Each plan feature's write routes live with its decisions (src/domain/plan/<feature>/http).
  const planCommands = { run: commandRunner(commandDeps), actorOf: commandDeps.actorOf };
  await app.register(
    healthRoutes({
      store: deps.store,
      isShuttingDown: deps.isShuttingDown ?? (() => false),
      ...(deps.storageHealth ? { storageHealth: deps.storageHealth } : {}),
      ...(deps.starting ? { starting: deps.starting } : {}),
      viewsRetired: () => deps.readModels?.runner.retired?.(),
      viewsBehindAFold: (head) => deps.readModels?.runner.behindAFold?.(head),
    }),
  );
  if (deps.metrics) await app.register(metricsRoutes(deps.metrics));
  for (const routes of [registrationRoutes, recommendationRoutes, actionRoutes, progressRoutes, correctionRoutes, retractionRoutes])
    await app.register(routes(planCommands));
  await app.register(eventReadRoutes(deps.store));
  if (deps.readModels) {
    const readDeps: ReadModelDeps = {
      ledgerHead: () => deps.store.headPosition(),
      notAfterLedgerNow: (instant) => notAfterLedgerNow(deps.store, (deps.clock ?? (() => new Date()))(), instant),
      ...deps.readModels,
    };
    await app.register(planReadRoutes(readDeps));
    await app.register(reportRoutes(readDeps));
  }
  // With access control, callers are principals whose organisation the directory decides, so
  // no import over HTTP may add an alias (admins, who may not import, use the CLI or the file).
  await app.register(
    importRoutes({
      store: deps.store,
      actorOf: commandDeps.actorOf,
      ...(commandDeps.authorise ? { authorise: commandDeps.authorise } : {}),
      aliases: deps.organisationAliases ?? openOrganisationAliases(undefined),
      refuseNewAliases: deps.access !== undefined,
      batch: commands.handleBatch,
      ...(deps.clock ? { clock: deps.clock } : {}),
    }),
  );
  const evidence = deps.evidence;
  if (deps.ledger)
    await app.register(ledgerIntegrityRoutes(deps.ledger, deps.store, evidence && (() => verifyEvidenceFiles(deps.store, evidence.blobs))));
  if (deps.ledger && deps.readModels)
    await app.register(
      signedViewRoutes({ read: deps.readModels, store: deps.store, ledger: deps.ledger, ...(deps.clock ? { clock: deps.clock } : {}) }),
    );
  if (deps.evidence) {
    const { blobs, settings } = deps.evidence;
    await app.register(
      evidenceRoutes({
        commands: commandDeps,
        blobs,
        settings,
        evidenceFiles: deps.readModels?.evidenceFiles,
        ...(deps.clock ? { clock: deps.clock } : {}),
        ...(deps.access && deps.readModels?.evidenceFiles
          ? {
              erasureReach: {
                evidenceFiles: deps.readModels.evidenceFiles,
                reader: deps.readModels.reader,
                canonical: deps.access.directory.canonical,
              },
            }
          : {}),
      }),
    );
    if (deps.ledger)
      await app.register(
        packRoutes({
          ledger: deps.ledger,
          blobs,
          evidenceFiles: deps.readModels?.evidenceFiles,
          ...(deps.clock ? { clock: deps.clock } : {}),
        }),
      );
    if (deps.readModels)
      await app.register(downloadRoutes({ read: { ledgerHead: () => deps.store.headPosition(), ...deps.readModels }, blobs }));
  }
  if (web && sessions) {
    // A browser opening the service lands on the pages (the home page, or sign-in first), with the address's query: a
    // link to `/?effectiveOn=2016-07` opens the home page at that date, not today's.
    app.get('/', { config: { access: 'public' }, schema: { hide: true } }, (request, reply) => {
      const query = request.url.indexOf('?');
      return reply
        .code(303)
        .header('location', `/web${query === -1 ? '' : request.url.slice(query)}`)
        .send();
    });
    await app.register(
      webPages({
        sessions,
        secret: web.sessions.secret,
        authenticate: web.access.authenticate,
        store: deps.store,
        read: { ledgerHead: () => deps.store.headPosition(), ...web.readModels },
        commands: commandDeps,
        batch: commands.handleBatch,
        aliases: deps.organisationAliases ?? openOrganisationAliases(undefined),
        ledger: deps.ledger,
        operations: deps.operations,
        oidc: web.oidc,
        evidence: deps.evidence,
        clock: deps.clock ?? (() => new Date()),
        routeMethods,
      }),
      { prefix: '/web' },
    );
  }
  return app;
};
