import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import view from '@fastify/view';
import { HttpProblem } from '../../api/http/problem.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import nunjucks from 'nunjucks';
import type { PageGate } from '../../access/http/access-hooks.ts';
import type { Sessions } from '../../access/session.ts';
import * as format from '../../presentation/format.ts';
import { clockRefusal, isMisspeltClock, keepTime, timeTravelOf } from '../time-travel.ts';
import { pathAsRouted, pathWithQueryWithout } from '../query-fields.ts';
import type { Clocks } from '../../../projections/clocks/clocks.ts';
import { HistoryChanged } from '../../../projections/history/storage/history-changed.ts';
import { createPageGate, preparePageHeaders } from './page-gate.ts';
import { pageClocksOf } from './page-clocks.ts';
import { sendViewsRebuildingPage, viewsResetReason } from '../../http/refuse-while-views-reset.ts';
import { renderPage } from './render.ts';
import { assetRoutes } from './routes/asset-routes.ts';
import { signInRoutes } from './routes/sign-in-routes.ts';
import { homeRoutes } from './routes/home-routes.ts';
import { planPages } from './routes/plan-pages.ts';
import { planChangesPage } from './routes/plan-changes-page.ts';
import { formRoutes } from './routes/form-routes.ts';
import { reportPages } from './routes/report-pages.ts';
import { integrityPages } from './routes/integrity-pages.ts';
import { evidenceFilePages } from './routes/evidence-file-pages.ts';
import { importPages } from './routes/import-pages.ts';
import { safeNext, type WebRouteDeps } from './web-deps.ts';
import { keepEachFieldOnce } from './fields-once.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const viewsDir = path.resolve(here, '../views');
export const ownAssetsDir = path.resolve(here, '../assets');
/** nhsuk-frontend's dist folder: its Nunjucks macros ("nhsuk/components/…") and its built CSS, JS and images. */
export const nhsukDist = path.join(path.dirname(createRequire(import.meta.url).resolve('nhsuk-frontend/package.json')), 'dist');

/**
 * What must be on the root instance before access control is installed: cookie parsing
 * (before the access hook reads the session), the template engine (refusal pages
 * are rendered from the access hook), and the page gate that reads sessions.
 */
export const prepareWebRoot = async (app: FastifyInstance, sessions: Sessions): Promise<PageGate> => {
  // Parses cookies on every request (an API request seldom has any), and writes the pages' Set-Cookie headers.
  await app.register(cookie);
  await app.register(view, {
    engine: { nunjucks },
    templates: [viewsDir, nhsukDist],
    production: true,
    options: {
      autoescape: true,
      onConfigure: (env: nunjucks.Environment) => {
        env.addFilter('businessDate', format.businessDate);
        env.addFilter('onOrIn', format.onOrIn);
        env.addFilter('instant', format.instant);
        env.addFilter('exactInstant', format.exactInstant);
        env.addFilter('due', format.due);
        env.addFilter('days', format.days);
        env.addFilter('counted', format.counted);
        env.addFilter('statusText', format.statusText);
        env.addFilter('statusColour', format.statusColour);
        env.addFilter('fieldName', format.fieldName);
        env.addFilter('changeValue', format.changeValue);
        env.addFilter('keepTime', keepTime);
      },
    },
  });
  return createPageGate(sessions);
};

/** The pages for people: every route a `page`, each declaring its access level like the API's. */
export const webPages = (deps: WebRouteDeps) => async (app: FastifyInstance) => {
  await app.register(formbody);
  // A field given twice is refused on its form, by the API's rule, not read as a list or as its last value (fields-once.ts).
  app.addHook('preValidation', async (request) => keepEachFieldOnce(request));
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { path: '/web', httpOnly: true, sameSite: 'strict', secure: 'auto' },
    // A form's token is bound to the session it was shown in and lasts at most a working day.
    csrfOpts: { hmacKey: Buffer.from(deps.secret), validity: 12 * 3600 * 1000 },
    getUserInfo: (request) => request.webSession?.sessionId ?? 'no-session',
  });
  await app.register(fastifyStatic, { root: ownAssetsDir, serve: false });

  const check = (clocks: Clocks) => deps.read.reader.check(clocks);
  const clocksOf = pageClocksOf(deps);

  // Every page may be asked for at either clock: as the ledger stood, and as things stood, on an earlier date.
  app.addHook('preHandler', async (request, reply) => {
    const config = request.routeOptions.config;
    if (!config.page) return;
    const query = (request.query ?? {}) as { asOf?: unknown; effectiveOn?: unknown };
    // A form records in the present: asked for with dates (an address typed or bookmarked), it is
    // offered on its present-day page, never under the banner of the past, whatever the dates; so is
    // a page that only shows the present (the integrity page, an export bundle).
    const present = config.access === 'command' || config.presentOnly;
    const misspelt = Object.keys(query).filter(isMisspeltClock);
    if (present && request.method !== 'POST' && (query.asOf || query.effectiveOn || misspelt.length > 0)) {
      // The path as sent, kept to this service's pages (safeNext): one with backslashes could name another site.
      const path = pathAsRouted(request.url);
      return reply.redirect(safeNext(pathWithQueryWithout(path, request.url, ['asOf', 'effectiveOn', ...misspelt])), 303);
    }
    const read = await clocksOf(query);
    request.timeTravel = read.travel;
    // A page at no past ledger time reads the views as they stand, and so does a form (the action it records on, as the
    // views hold it): while a rebuild beside has reset them, part of them. The changes page too: its plan, and its form.
    if (config.access === 'command' || (config.access === 'projection' && !read.travel.past)) {
      if ((await viewsResetReason(deps.read)) !== undefined) return sendViewsRebuildingPage(request, reply);
    }
    if (!read.refused) return;
    // A page read at the clocks is itself, at the present, under its own name, saying what is wrong with the dates.
    // A download (a CSV, an evidence file) has no page to say it on, and a sign-in page no dates: a page saying why.
    if (config.access === 'projection' && !config.download) {
      request.clockErrors = read.clockErrors;
      return;
    }
    const title = read.refused.problems.length > 1 ? 'Those dates are not valid' : 'That date is not valid';
    return renderPage(
      request,
      reply,
      'refused.njk',
      { pageTitle: title, problem: { title, detail: read.refused.message }, ...read.clockErrors, timeTravelForm: true },
      400,
    );
  });
  /** The page that says why nothing was shown or done: its title is the problem's. */
  const refusal = (request: FastifyRequest, reply: FastifyReply, title: string, detail: string, status: number) =>
    renderPage(request, reply, 'refused.njk', { pageTitle: title, problem: { title, detail } }, status);
  // A page's error is a page too; its details stay in the log.
  app.setErrorHandler(async (error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 403 && /csrf/i.test((error as { code?: string }).code ?? '')) {
      request.log.warn({ code: (error as { code?: string }).code }, 'form refused: CSRF token missing or not valid');
      return refusal(
        request,
        reply,
        'This form has expired',
        'The form was not sent from this service in your current session, so nothing was recorded. Go back, reload the page and try again.',
        403,
      );
    }
    if (status !== undefined && status >= 400 && status < 500)
      return refusal(request, reply, 'The request was not understood', (error as Error).message, status);
    // A refusal in the API's words (an HttpProblem) that no page put in its own is still a refusal, not a failure of the service.
    if (error instanceof HttpProblem && error.problem.status >= 400 && error.problem.status < 500)
      return refusal(request, reply, 'The request was refused', error.problem.detail ?? error.problem.title, error.problem.status);
    if (error instanceof HistoryChanged) {
      request.log.warn({ code: 'read-model-changed' }, 'page refused for now: the read models changed while it was read');
      reply.header('retry-after', '1');
      return refusal(request, reply, 'The records changed while this page was read', 'Reload the page to see them as they are now.', 503);
    }
    request.log.error({ err: error }, 'page failed');
    return refusal(request, reply, 'Sorry, there is a problem with the service', 'Nothing partial was recorded. Try again later.', 500);
  });
  app.setNotFoundHandler((request, reply) => {
    if (!request.cspNonce) preparePageHeaders(request, reply);
    // An address that is no page still keeps the clocks the person was looking at on its links, when they are clocks at all
    // (told apart from the present by the clock alone: this page reads nothing at them).
    try {
      const query = (request.query ?? {}) as { asOf?: unknown; effectiveOn?: unknown };
      request.timeTravel = timeTravelOf(query, deps.clock(), check);
    } catch (error) {
      if (!clockRefusal(error)) throw error;
    }
    const allowed = deps.routeMethods?.(request.method, request.url) ?? [];
    if (allowed.length === 0) return refusal(request, reply, 'Page not found', 'No page is at this address.', 404);
    reply.header('allow', allowed.join(', '));
    // A form's address opened as a page (a bookmark, a link copied from the address bar) is there, but is no page.
    const formOnly = !allowed.includes('GET');
    return refusal(
      request,
      reply,
      formOnly ? 'This address takes a form, not a visit' : 'This address does not take that request',
      formOnly
        ? 'It receives a form sent from its page, and nothing was sent, so nothing was recorded. Go back to the page the form is on.'
        : 'Nothing was recorded or changed: the ledger keeps everything recorded, and a mistake is put right by a correction.',
      405,
    );
  });

  await app.register(assetRoutes(nhsukDist));
  await app.register(signInRoutes(deps));
  // Plans' timelines, kept between reads by the plan reader for the history pages, the home page's latest corrections
  // and the API's timelines alike.
  const timelines = deps.read.reader.timeline;
  await app.register(homeRoutes(deps, timelines));
  await app.register(planPages(deps, timelines));
  await app.register(planChangesPage(deps, timelines));
  await app.register(formRoutes(deps));
  await app.register(reportPages(deps));
  if (deps.ledger) await app.register(integrityPages(deps));
  await app.register(importPages(deps));
  await app.register(evidenceFilePages(deps));
};
