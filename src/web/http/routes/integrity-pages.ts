import { secondsOfRun } from '../../../integrity/verifications-in-turn.ts';
import type { FastifyInstance } from 'fastify';
import { UnknownPlan } from '../../../integrity/errors.ts';
import { PlanId } from '../../../api/http/plan-params.ts';
import { findingsPageQuery, noSuchPage, pageOfPlans } from '../findings-paging.ts';
import { renderPage } from '../render.ts';
import type { WebRouteDeps } from '../web-deps.ts';
import { notFoundPage } from './not-found.ts';
import { SIGNING_READ } from '../../../http/signing-read.ts';

/**
 * For auditors: the latest signed checkpoint, a verification run, and each plan's export
 * bundle with the command that checks it offline. The same integrity services, and the same
 * access level (audit), as the API's /ledger routes; the export is an audited read.
 */
export const integrityPages = (deps: WebRouteDeps) => async (app: FastifyInstance) => {
  const ledger = deps.ledger!;
  // The checkpoint, a verification and an export are of the ledger as it is now, whatever the clocks.
  const page = { access: 'audit' as const, page: true, presentOnly: true };

  app.get('/integrity', { config: page, schema: { hide: true } }, async (request, reply) => {
    const pages = findingsPageQuery('/web/integrity', request.query as { after?: unknown; limit?: unknown });
    if (!pages) return renderPage(request, reply, 'refused.njk', noSuchPage('plans to export'), 400);
    // A page of the plans' export links, in plan-id order as GET /plans pages them: every plan's link on one page
    // would be thousands of links on a large ledger.
    const { shown, next, total } = pageOfPlans(await deps.read.reader.planLines(), pages);
    const plans = shown.map((lines) => ({ planId: lines.planId, title: lines.title }));
    const last = (await deps.operations?.latest('verify'))?.last;
    return renderPage(request, reply, 'integrity.njk', {
      lastVerification: last && { ...last, seconds: ((Date.parse(last.finishedAt) - Date.parse(last.startedAt)) / 1000).toFixed(1) },
      pageTitle: 'Integrity',
      checkpoint: (await ledger.checkpoints.latest()) ?? null,
      publicKey: ledger.publicKey,
      events: await deps.store.count(),
      plans,
      total,
      pages,
      nextHref: pages.nextHref(next),
      nextAfter: next,
    });
  });

  app.get('/integrity/verify', { config: page, schema: { hide: true } }, async (request, reply) => {
    const asked = Date.now();
    const report = await ledger.verify();
    const answered = (Date.now() - asked) / 1000;
    // An instance runs verifications in turn: this one may have waited for one under way before it began.
    const ran = secondsOfRun(report) ?? answered;
    return renderPage(request, reply, 'verify.njk', {
      pageTitle: report.ok ? 'The ledger verified' : 'The ledger did not verify',
      report,
      seconds: ran.toFixed(1),
      waited: answered - ran >= 0.5 ? (answered - ran).toFixed(1) : undefined,
    });
  });

  app.get(
    '/plans/:planId/export',
    { config: { ...page, auditRead: true }, schema: { hide: true }, ...SIGNING_READ },
    async (request, reply) => {
      const planId = PlanId.safeParse((request.params as { planId?: unknown }).planId);
      if (!planId.success) return notFoundPage(request, reply, 'No such plan', 'No plan has this name.');
      try {
        const bundle = await ledger.exportPlan(planId.data);
        return reply
          .type('application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="${planId.data}-export.json"`)
          .send(JSON.stringify(bundle, null, 2));
      } catch (error) {
        if (error instanceof UnknownPlan) return notFoundPage(request, reply, 'No such plan', 'No plan has this name.');
        throw error;
      }
    },
  );
};
