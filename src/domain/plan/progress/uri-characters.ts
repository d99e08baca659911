/**
 * The characters RFC 3986 lets a URI hold: its unreserved and reserved characters, and `%` only as the
 * start of a percent-escape. A link holding any other (a space, a letter beyond ASCII, a quote) is read
 * differently by different readers: a browser encodes it, a reader of a report or a mail that makes
 * links of addresses ends the link there, so `…/board minutes.pdf` leads years later to `…/board`.
 * A link is recorded as sent, never rewritten, so one that is not a URI as written is refused, for
 * the person who sent it to write it as meant. Links recorded before the rule stay as they are.
 */
const URI_CHARACTER = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]$/u;
const PERCENT_ESCAPE = /^%[0-9A-Fa-f]{2}$/;

const named = (character: string): string =>
  character === ' ' ? 'a space' : `"${character}" (U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;

/** What is wrong with a URI's characters, in words naming the first one and where: undefined when it has none a URI cannot hold. */
export const uriCharacterProblem = (uri: string): string | undefined => {
  let at = 1;
  for (let i = 0; i < uri.length; at++) {
    const character = String.fromCodePoint(uri.codePointAt(i)!);
    if (character === '%' && !PERCENT_ESCAPE.test(uri.slice(i, i + 3)))
      return `holds "%" at character ${at} with no two hexadecimal digits after it: a % itself is written %25 in a URI (RFC 3986)`;
    if (character !== '%' && !URI_CHARACTER.test(character))
      return (
        `holds ${named(character)} at character ${at}, which a URI cannot hold (RFC 3986): write it percent-encoded ` +
        '(a space as %20), as a browser gives the address when it is copied from its address bar'
      );
    i += character === '%' ? 3 : character.length;
    if (character === '%') at += 2;
  }
  return undefined;
};
