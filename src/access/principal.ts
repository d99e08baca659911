import type { Actor } from '../../events/envelope.ts';
import type { Role } from './roles.ts';

/**
 * Who is calling, as established from their credentials and nothing else. The
 * organisation is the canonical name from the organisation directory, so "Dorset CCG"
 * on a key and "NHS Dorset Clinical Commissioning Group" on a plan are the same body.
 */
export type Principal =
  | { via: 'api-key'; keyId: string; name: string; role: Role; organisation: string }
  | { via: 'oidc'; subject: string; issuer: string; name: string; role: Role; organisation: string };

/** A stable id for logs and the access log: the key id, or the subject of a token from the one configured issuer. */
export const principalId = (p: Principal): string => (p.via === 'api-key' ? `api-key:${p.keyId}` : `oidc:${p.subject}`);

/** The actor written on every event: always derived from the principal, never from the request body or a header. */
export const actorOf = (p: Principal): Actor =>
  p.via === 'api-key'
    ? { id: principalId(p), name: p.name, organisation: p.organisation, role: p.role, keyId: p.keyId }
    : { id: principalId(p), name: p.name, organisation: p.organisation, role: p.role };
