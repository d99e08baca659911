/**
 * An evidence file refused before anything was recorded, with the HTTP meaning of the refusal
 * and a stable code: 413 too large, 415 not an accepted type, 422 empty, 400 malformed upload.
 */
export class EvidenceRefused extends Error {
  constructor(
    readonly status: 400 | 404 | 410 | 413 | 415 | 422,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
