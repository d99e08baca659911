import fs from 'node:fs';
import { firstIJsonViolation } from '../i-json.ts';
import { referenceCanonicalJson } from '../integrity/canonical-json.ts';

/**
 * A signed file's JSON (an export bundle, a signed view), read as an offline verifier must read it: with one reading
 * only. Its signatures hold over the value JSON.parse reads, so a file with two readings (a member given twice, of which
 * JSON.parse keeps the last while a person or another reader may take the first; a number read otherwise than written)
 * could show one thing and verify another: it is refused, as the API refuses such a body. So is a file with no canonical
 * JSON form to have been signed. `problem` says why, in words for the verifier's report (`what` names the kind of file).
 */
export const readSignedFileJson = (
  file: string,
  what: string,
): { input: unknown; problem?: undefined } | { input?: undefined; problem: string } => {
  let text: string;
  let input: unknown;
  try {
    // A byte-order mark (an editor on Windows may save one) is no part of the JSON: the value is the same without it.
    text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    input = JSON.parse(text);
  } catch (error) {
    return { problem: `cannot read ${file} as JSON: ${(error as Error).message}` };
  }
  const twoReadings = firstIJsonViolation(text);
  if (twoReadings) {
    const at = twoReadings.path.replace(/^body\.?/, '') || '(top)';
    return {
      problem:
        twoReadings.kind === 'duplicate-key'
          ? `not ${what}: ${at} is given twice; a member may appear once in an object`
          : `not ${what}: ${at}: ${twoReadings.number.slice(0, 60)} cannot be kept exactly as a number`,
    };
  }
  try {
    referenceCanonicalJson(input);
  } catch (error) {
    return { problem: `not ${what}: it has no canonical JSON form (${(error as Error).message})` };
  }
  return { input };
};
