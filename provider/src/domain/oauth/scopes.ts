// Which scope lets a token read which userinfo fields. `read` is the identity and profile
// Rocket.Chat (Custom OAuth and the app) needs; `write` alone reads nothing. Rocket.Chat setups
// that ask for "read write" keep working. Other modules (OIDC) add scopes here.
export const USERINFO_FIELDS_BY_SCOPE: Record<string, readonly string[]> = {
  read: ['sub', 'id', 'username', 'preferred_username', 'email', 'email_verified', 'name', 'given_name', 'family_name', 'department', 'job_title'],
  // OpenID Connect scopes (oidc/claims.ts), for clients that keep this body (Rocket.Chat presets).
  openid: ['sub', 'id'],
  profile: ['sub', 'id', 'username', 'preferred_username', 'name', 'given_name', 'family_name'],
  email: ['sub', 'id', 'email', 'email_verified'],
  hr: ['sub', 'id', 'department', 'job_title'],
  // HR lifecycle claims are added by routes/userinfo.ts through hr/claims.ts.
  hrm: ['sub', 'id'],
};

/** The scope a client must hold to read userinfo at all (named in the 403 challenge). */
export const USERINFO_SCOPE = 'read';

/** The userinfo fields a token with `scope` may read (empty: none). */
export function userinfoFields(scope: readonly string[]): Set<string> {
  return new Set(scope.flatMap((s) => USERINFO_FIELDS_BY_SCOPE[s] ?? []));
}

export function pickFields<T extends Record<string, unknown>>(body: T, fields: Set<string>): Partial<T> {
  return Object.fromEntries(Object.entries(body).filter(([k]) => fields.has(k))) as Partial<T>;
}
