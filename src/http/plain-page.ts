import type { FastifyReply } from 'fastify';
import { helmetHeaders } from '../access/http/security-headers.ts';

/**
 * The headers of a plain page: the service's stylesheets may load, and nothing else (no script,
 * no frame). Worked out once, as the API's are (security-headers.ts).
 */
const headers = helmetHeaders({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], styleSrc: ["'self'"], frameAncestors: ["'none'"], formAction: ["'none'"] },
  },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
});

/** Words of this service's own, never the request's: nothing here is escaped. */
const pageOf = (title: string, paragraphs: readonly string[]) => `<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title} – Assurance Ledger</title>
  <link rel="stylesheet" href="/web/assets/nhsuk-frontend.css">
  <link rel="stylesheet" href="/web/assets/app/web.css">
</head>
<body>
  <div class="nhsuk-width-container">
    <main class="nhsuk-main-wrapper" id="maincontent">
      <h1 class="nhsuk-heading-l">${title}</h1>
${paragraphs.map((p) => `      <p class="nhsuk-body">${p}</p>`).join('\n')}
    </main>
  </div>
</body>
</html>
`;

/**
 * A page for a person, sent where the pages' own templates do not answer: before any route (a
 * path that does not decode), or while an instance is starting (the templates' pages are routes it
 * refuses then).
 * It names nothing of the request, so no one can put words on it.
 */
export const plainPage = (status: number, title: string, paragraphs: readonly string[]) => {
  const page = pageOf(title, paragraphs);
  return (reply: FastifyReply) =>
    reply.code(status).headers(headers).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page);
};
