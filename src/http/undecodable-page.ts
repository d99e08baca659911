import { plainPage } from './plain-page.ts';

/**
 * A page's address that does not decode is refused before any route (error-handler.ts,
 * `answerFrameworkError`), so before the pages' own error pages can answer: a person is shown
 * this page rather than the API's problem details as raw JSON. It names nothing of the address.
 */
export const sendUndecodablePage = plainPage(400, 'This address is not valid', [
  `Part of the address does not decode: a % in it is not followed by a character's code.
        Check the link, or start again from the plans.`,
  '<a href="/web">Go to the plans</a>',
]);
