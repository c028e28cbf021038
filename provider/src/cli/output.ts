// Human vs machine output. JSON goes to stdout alone so scripts can parse it; prompts and
// notes for people go to stderr so they never corrupt it.
import type { ClientDoc, UserDoc } from '../db/schema';

export interface Output {
  json: boolean;
  /** Prints `data` as JSON, or the human lines. */
  result(data: unknown, human: () => string[]): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(data, human) {
      // --json: exactly one JSON document on stdout; everything for people goes to stderr.
      const text = json ? JSON.stringify(data, null, 2) : human().join('\n');
      if (text) process.stdout.write(`${text}\n`);
    },
  };
}

/** Wrong use of the command line (exit 2), e.g. a refused flag. */
export class UsageError extends Error {
  readonly code = 'usage';
}

/** One line, whatever the error text holds (driver messages can span lines). */
export function printError(message: string): void {
  process.stderr.write(`Error: ${message.replace(/\s*\n\s*/g, ' ').trim()}\n`);
}

/** Snake-case public view of a user: never the password hash. */
export function userJson(u: UserDoc) {
  return {
    id: u._id,
    username: u.username,
    email: u.email,
    name: u.name,
    given_name: u.givenName ?? null,
    family_name: u.familyName ?? null,
    department: u.department ?? null,
    job_title: u.jobTitle ?? null,
    admin: u.admin,
    active: u.active,
    has_password: Boolean(u.passwordHash),
    created_at: u.createdAt.toISOString(),
  };
}

/** Public view of a client: never the secret digest. */
export function clientJson(c: ClientDoc) {
  return {
    client_id: c._id,
    name: c.name,
    type: c.type,
    preset: c.preset,
    grants: c.grants,
    redirect_uris: c.redirectUris,
    skip_authorization: c.skipAuthorization,
    require_pkce: c.requirePkce,
    allow_plain_pkce: c.allowPlainPkce,
    allow_query_credentials: c.allowQueryCredentials,
    allow_token_only_revocation: c.allowTokenOnlyRevocation,
    allow_query_access_token: !!c.allowQueryAccessToken,
    allow_introspection: !!c.allowIntrospection,
    access_token_lifetime: c.accessTokenLifetime ?? null,
    refresh_idle_timeout: c.refreshIdleTimeout ?? null,
    refresh_absolute_lifetime: c.refreshAbsoluteLifetime ?? null,
    post_logout_redirect_uris: c.postLogoutRedirectUris ?? [],
    revoke_tokens_on_logout: Boolean(c.revokeTokensOnLogout),
    allowed_origins: c.allowedOrigins ?? [],
    logo_uri: c.logoUri || null,
    home_page_uri: c.homePageUri || null,
    created_at: c.createdAt.toISOString(),
  };
}

/** Left-aligned columns; empty cells shown as "-". */
export function table(headers: string[], rows: string[][]): string[] {
  const cells = [headers, ...rows.map((r) => r.map((c) => c || '-'))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd());
}
