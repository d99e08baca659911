import type { FastifyReply } from 'fastify';
import { helmetHeaders } from '../access/http/security-headers.ts';

/**
 * The headers of the page below: the service's stylesheets may load, and nothing else (no script,
 * no frame). Worked out once, as the API's are (security-headers.ts).
 */
const headers = helmetHeaders({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], styleSrc: ["'self'"], frameAncestors: ["'none'"], formAction: ["'none'"] },
  },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
});

const PAGE = `<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>This address is not valid – Assurance Ledger</title>
  <link rel="stylesheet" href="/web/assets/nhsuk-frontend.css">
  <link rel="stylesheet" href="/web/assets/app/web.css">
</head>
<body>
  <div class="nhsuk-width-container">
    <main class="nhsuk-main-wrapper" id="maincontent">
      <h1 class="nhsuk-heading-l">This address is not valid</h1>
      <p class="nhsuk-body">Part of the address does not decode: a % in it is not followed by a character's code.
        Check the link, or start again from the plans.</p>
      <p class="nhsuk-body"><a href="/web">Go to the plans</a></p>
    </main>
  </div>
</body>
</html>
`;

/**
 * A page's address that does not decode is refused before any route (error-handler.ts,
 * `answerFrameworkError`), so before the pages' own error pages can answer: a person is shown
 * this page rather than the API's problem details as raw JSON. It names nothing of the address.
 */
export const sendUndecodablePage = (reply: FastifyReply) =>
  reply.code(400).headers(headers).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(PAGE);
