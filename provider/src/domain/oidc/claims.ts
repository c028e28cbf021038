// OpenID Connect claims: which user fields each scope releases (OIDC Core §5.4), and the
// `claims` request parameter (§5.5) with its essential/voluntary members.
import type { UserDoc } from '../../db/schema';
import type { ClaimRequestMember, ClaimsRequest } from '../../db/oidc-schema';

/** The scope that carries the HR fields (department, job title). */
export const HR_SCOPE = 'hr';

export const SCOPE_CLAIMS: Record<string, string[]> = {
  openid: ['sub'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username', 'updated_at'],
  email: ['email', 'email_verified'],
  [HR_SCOPE]: ['department', 'job_title'],
};

export const SUPPORTED_CLAIMS = [...new Set(Object.values(SCOPE_CLAIMS).flat())];

/** Claims computed by the token machinery, never taken from the user record or a claims request. */
const PROTOCOL_CLAIMS = new Set(['iss', 'aud', 'azp', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash', 'c_hash', 'acr', 'amr', 'sid']);

const MAX_CLAIMS_PARAM_CHARS = 4000;

export function userClaim(u: UserDoc, name: string): unknown {
  switch (name) {
    case 'sub': return u._id;
    case 'name': return u.name;
    case 'given_name': return u.givenName || undefined;
    case 'family_name': return u.familyName || undefined;
    case 'preferred_username': return u.username;
    case 'updated_at': return Math.floor(u.updatedAt.getTime() / 1000);
    case 'email': return u.email;
    case 'email_verified': return true;
    case 'department': return u.department || undefined;
    case 'job_title': return u.jobTitle || undefined;
    default: return undefined;
  }
}

export function scopeClaimNames(scope: string[]): string[] {
  return [...new Set(scope.flatMap((s) => SCOPE_CLAIMS[s] ?? []))];
}

/** Claim names asked for in one member (`userinfo` or `id_token`) of a claims request, supported ones only. */
export function requestedClaimNames(member: Record<string, ClaimRequestMember> | undefined): string[] {
  return Object.keys(member ?? {}).filter((n) => SUPPORTED_CLAIMS.includes(n));
}

/** Supported claims the request asks for beyond what its scopes release: the consent page must name them. */
export function claimsBeyondScope(scope: string[], claims?: ClaimsRequest): string[] {
  const released = new Set(scopeClaimNames(scope));
  return [...new Set([...requestedClaimNames(claims?.userinfo), ...requestedClaimNames(claims?.id_token)])].filter((n) => !released.has(n));
}

/** The user's values for the given claim names; claims the user has no value for are left out. */
export function claimValues(u: UserDoc, names: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of names) {
    const v = userClaim(u, n);
    if (v !== undefined) out[n] = v;
  }
  return out;
}

/**
 * Parses the `claims` parameter. Returns an error sentence for anything malformed; unknown claim
 * names and unknown top-level members are ignored as §5.5 asks.
 */
export function parseClaimsParameter(raw: string | undefined): { claims?: ClaimsRequest; error?: string } {
  if (raw === undefined || raw === '') return {};
  if (raw.length > MAX_CLAIMS_PARAM_CHARS) return { error: `The claims parameter is longer than ${MAX_CLAIMS_PARAM_CHARS} characters.` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { error: 'The claims parameter is not valid JSON.' };
  }
  if (!isPlainObject(parsed)) return { error: 'The claims parameter must be a JSON object with "userinfo" and/or "id_token" members.' };
  const claims: ClaimsRequest = {};
  for (const where of ['userinfo', 'id_token'] as const) {
    const member = parsed[where];
    if (member === undefined) continue;
    if (!isPlainObject(member)) return { error: `claims.${where} must be a JSON object of claim names.` };
    const out: Record<string, ClaimRequestMember> = {};
    for (const [name, request] of Object.entries(member)) {
      if (request === null) {
        out[name] = null;
        continue;
      }
      if (!isPlainObject(request)) return { error: `claims.${where}.${name} must be null or an object with "essential", "value" or "values".` };
      if (request.essential !== undefined && typeof request.essential !== 'boolean') return { error: `claims.${where}.${name}.essential must be true or false.` };
      if (request.values !== undefined && !Array.isArray(request.values)) return { error: `claims.${where}.${name}.values must be an array.` };
      if (PROTOCOL_CLAIMS.has(name)) continue;
      out[name] = { essential: request.essential as boolean | undefined, value: request.value, values: request.values as unknown[] | undefined };
    }
    claims[where] = out;
  }
  return { claims };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
