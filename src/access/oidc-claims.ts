import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';
import type { WebOidcSettings } from './oidc-sign-in-config.ts';
import type { Principal } from './principal.ts';
import { claimedName, controlCharacterInOrganisation } from './claimed-name.ts';
import { ORGANISATION_MAX_CHARACTERS, unacceptableSubject } from './oidc-identity.ts';
import type { Role } from './roles.ts';

export type ClaimsOutcome =
  | { ok: true; principal: Principal }
  | { ok: false; code: 'token-grants-no-role' | 'token-names-no-organisation' | 'token-names-no-subject'; detail: string };

/** One CIS2 national RBAC role as UserInfo lists it. */
interface NrbacRole {
  person_roleid?: unknown;
  org_code?: unknown;
  role_code?: unknown;
  role_name?: unknown;
}

const strings = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/**
 * CIS2: the role the person selected at sign-in (`selected_roleid`), or else every role they
 * hold, each mapped by its role code (or its name) and acting for its ODS organisation code.
 * The directory turns the ODS code into the organisation's name: list the code as an alias.
 */
const cis2Grants = (settings: WebOidcSettings, claims: Record<string, unknown>) => {
  const held = Array.isArray(claims[settings.roleClaim]) ? (claims[settings.roleClaim] as NrbacRole[]) : [];
  const selected = typeof claims.selected_roleid === 'string' ? held.filter((r) => r.person_roleid === claims.selected_roleid) : held;
  return selected.flatMap((r) => {
    const role = [r.role_code, r.role_name].map((k) => (typeof k === 'string' ? settings.roleMap[k] : undefined)).find(Boolean);
    return role && typeof r.org_code === 'string' ? [{ role, organisation: r.org_code }] : [];
  });
};

/** Entra and generic providers: role values in one claim; the organisation fixed by configuration or named by a claim. */
const claimGrants = (settings: WebOidcSettings, claims: Record<string, unknown>) => {
  const organisation = settings.organisation ?? (settings.organisationClaim ? strings(claims[settings.organisationClaim])[0] : undefined);
  return strings(claims[settings.roleClaim]).flatMap((value) => {
    const role = Object.hasOwn(settings.roleMap, value) ? settings.roleMap[value] : undefined;
    return role ? [{ role, organisation }] : [];
  });
};

/**
 * The organisations an organisation claim names when it names more than one (two names of one
 * organisation are one): the organisation decides what the person may do, so, as with roles, the
 * service never picks the first. CIS2 names one per role, and a configured organisation is one.
 */
const severalOrganisationsClaimed = (
  settings: WebOidcSettings,
  claims: Record<string, unknown>,
  directory: Pick<OrganisationDirectory, 'canonical'>,
): string[] | undefined => {
  if (settings.profile === 'cis2' || settings.organisation !== undefined || !settings.organisationClaim) return undefined;
  const named = strings(claims[settings.organisationClaim]).filter((value) => value.trim() !== '');
  const organisations = [...new Set(named.map((value) => directory.canonical(value)))];
  return organisations.length > 1 ? organisations : undefined;
};

/**
 * The principal an identity provider's claims make: exactly one ledger role for exactly one
 * organisation, as for bearer tokens. Two would leave the choice to us, so they are refused.
 */
export const claimedPrincipal = (
  settings: WebOidcSettings,
  claims: Record<string, unknown>,
  issuer: string,
  directory: Pick<OrganisationDirectory, 'canonical'>,
): ClaimsOutcome => {
  // The subject is who every event and access-log entry names (`oidc:<sub>`): held to what a bearer token's is.
  const badSubject = unacceptableSubject(claims.sub);
  if (badSubject)
    return {
      ok: false,
      code: 'token-names-no-subject',
      detail: `Your account's identifier cannot be recorded as who acted (${badSubject}). Ask whoever manages your account to correct it.`,
    };
  const several = severalOrganisationsClaimed(settings, claims, directory);
  if (several)
    return {
      ok: false,
      code: 'token-names-no-organisation',
      detail:
        `Your account names more than one organisation (${several.join(', ')}), and this service acts for exactly one. ` +
        'Ask whoever manages your account to name one.',
    };
  const grants = settings.profile === 'cis2' ? cis2Grants(settings, claims) : claimGrants(settings, claims);
  const distinct = new Map(grants.map((g) => [`${g.role}\n${g.organisation ?? ''}`, g]));
  if (distinct.size !== 1)
    return {
      ok: false,
      code: 'token-grants-no-role',
      detail:
        distinct.size === 0
          ? 'Your account holds no role this service knows. Ask for one of its roles to be given to you.'
          : 'Your account holds more than one of this service’s roles. Sign in with just one role selected.',
    };
  const [grant] = distinct.values() as Iterable<{ role: Role; organisation: string | undefined }>;
  if (!grant!.organisation?.trim())
    return { ok: false, code: 'token-names-no-organisation', detail: 'Your account does not say which organisation you act for.' };
  if (grant!.organisation.length > ORGANISATION_MAX_CHARACTERS)
    return {
      ok: false,
      code: 'token-names-no-organisation',
      detail:
        `The organisation your account names is longer than ${ORGANISATION_MAX_CHARACTERS} characters, ` +
        'so it matches no organisation. Ask whoever manages your account to correct it.',
    };
  const hidden = controlCharacterInOrganisation(grant!.organisation);
  if (hidden)
    return {
      ok: false,
      code: 'token-names-no-organisation',
      detail:
        `The organisation your account names holds an invisible character (${hidden}), so it matches no organisation. ` +
        'Ask whoever manages your account to correct it.',
    };
  const name =
    claimedName(strings(claims.name)[0]) ??
    (claimedName([strings(claims.given_name)[0], strings(claims.family_name)[0]].filter(Boolean).join(' ')) || String(claims.sub));
  return {
    ok: true,
    principal: {
      via: 'oidc',
      subject: String(claims.sub),
      issuer,
      name,
      role: grant!.role,
      organisation: directory.canonical(grant!.organisation),
    },
  };
};
