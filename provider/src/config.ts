// Every provider knob in one place: environment variable, default, meaning.
// The README's configuration reference is generated from the same list by hand; keep them in step.
import { z } from 'zod';
import path from 'node:path';

const bool = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'must be true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const seconds = z.coerce.number().int().positive().max(10 * 365 * 24 * 3600);

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

const schema = z.object({
  /** NODE_ENV: "production" makes SESSION_SECRET and ISSUER mandatory. */
  NODE_ENV: z.string().default('development'),
  /** PORT: TCP port the HTTP server listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  /** HOST: interface to bind; 127.0.0.1 keeps a development provider off the network. */
  HOST: z.string().default('127.0.0.1'),
  /** ISSUER: public base URL (scheme://host[:port]) used in metadata, links and cookie security. */
  ISSUER: z.string().url().optional(),
  /** MONGO_URL: MongoDB connection string; unset → embedded FerretDB in DATA_DIR. */
  MONGO_URL: z.string().optional(),
  /** MONGO_DB: database name (keep it separate from Rocket.Chat's own database). */
  MONGO_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/).default('hrm_sso'),
  /** DATA_DIR: embedded database files, the development session secret, the FerretDB binary. */
  DATA_DIR: z.string().default(path.join(REPO_ROOT, '.data')),
  /** FERRETDB_BIN: FerretDB executable for the embedded database. */
  FERRETDB_BIN: z.string().optional(),
  /** ACCESS_TOKEN_EXPIRE_SECONDS: access token lifetime (DOT default 36000). */
  ACCESS_TOKEN_EXPIRE_SECONDS: seconds.default(36000),
  /** REFRESH_TOKEN_EXPIRE_SECONDS: refresh token lifetime. */
  REFRESH_TOKEN_EXPIRE_SECONDS: seconds.default(86400),
  /** AUTHORIZATION_CODE_EXPIRE_SECONDS: authorization code lifetime (RFC 6749 recommends ≤ 10 min). */
  AUTHORIZATION_CODE_EXPIRE_SECONDS: seconds.default(60),
  /** ROTATE_REFRESH_TOKEN: issue a new refresh token on every refresh and retire the old one. */
  ROTATE_REFRESH_TOKEN: bool.default('true'),
  /** REFRESH_TOKEN_GRACE_SECONDS: after rotation, reuse of the old token within this window is refused without revoking the family (lost responses). 0 = no grace. */
  REFRESH_TOKEN_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(0),
  /** SCOPES: space-separated scopes the provider knows (openid, profile, email and hr drive OpenID Connect claims). */
  SCOPES: z.string().default('read write openid profile email hr'),
  /** DEFAULT_SCOPES: scopes granted when a request names none. */
  DEFAULT_SCOPES: z.string().default('read'),
  /** SESSION_SECRET: signs browser session cookies; generated into DATA_DIR in development, required in production. */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** SESSION_MAX_AGE_SECONDS: browser session lifetime. */
  SESSION_MAX_AGE_SECONDS: seconds.default(8 * 3600),
  /** LOGIN_RATE_LIMIT: failed login attempts allowed per client IP and username per window. */
  LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  /** TOKEN_RATE_LIMIT: token/revoke/introspect requests allowed per client IP per window. */
  TOKEN_RATE_LIMIT: z.coerce.number().int().positive().default(300),
  /** RATE_LIMIT_WINDOW_SECONDS: window for both rate limits (counters live in the database, shared by all instances). */
  RATE_LIMIT_WINDOW_SECONDS: seconds.default(60),
  /** TRUST_PROXY: Express "trust proxy" setting (e.g. 1 behind one reverse proxy) so client IPs are right. */
  TRUST_PROXY: z.string().default('false'),
  /** PASSWORD_SCRYPT_COST: scrypt N for password hashes (power of two; 2^15 ≈ 50 ms here). */
  PASSWORD_SCRYPT_COST: z.coerce.number().int().refine((n) => n >= 1024 && (n & (n - 1)) === 0, 'must be a power of two ≥ 1024').default(32768),
  /** SWEEP_INTERVAL_SECONDS: how often expired codes, tokens, sessions and counters are deleted. */
  SWEEP_INTERVAL_SECONDS: seconds.default(600),
  /** MAX_BODY_BYTES: request bodies above this size are refused with 413. */
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(16 * 1024),
  /** PRODUCT_NAME: shown in page titles and headers. */
  PRODUCT_NAME: z.string().default('HRM Sign-in'),
  /** ORGANIZATION_NAME: the organisation shown on the login and consent pages. */
  ORGANIZATION_NAME: z.string().default('Your organisation'),
  /** ID_TOKEN_EXPIRE_SECONDS: OpenID Connect ID token lifetime; a retired signing key stays published this long after it stops signing. */
  ID_TOKEN_EXPIRE_SECONDS: seconds.default(3600),
  /** OIDC_SIGNING_ALG: algorithm of newly generated ID-token signing keys (RS256 or ES256). */
  OIDC_SIGNING_ALG: z.enum(['RS256', 'ES256']).default('RS256'),
  /** OIDC_KEY_ENCRYPTION_KEY: secret (≥ 32 characters) that encrypts signing keys' private parts in the database; unset → stored unencrypted. */
  OIDC_KEY_ENCRYPTION_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** OIDC_KEY_PUBLISH_AHEAD_SECONDS: a rotated-in key is published in the JWKS this long before it starts signing (relying parties' JWKS caches catch up). */
  OIDC_KEY_PUBLISH_AHEAD_SECONDS: z.coerce.number().int().min(0).max(7 * 24 * 3600).default(600),
  /** DEVICE_CODE_EXPIRE_SECONDS: how long a device authorization (RFC 8628 user code) stays valid. */
  DEVICE_CODE_EXPIRE_SECONDS: seconds.default(600),
  /** DEVICE_CODE_INTERVAL_SECONDS: minimum seconds between a device's token polls (faster polls get slow_down). */
  DEVICE_CODE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(60).default(5),
  /** DYNAMIC_CLIENT_REGISTRATION: serve RFC 7591/7592 registration at /o/register/ (each registration needs an initial access token from `registration create-token`). */
  DYNAMIC_CLIENT_REGISTRATION: bool.default('false'),
  /** LOG_LEVEL: pino level (fatal, error, warn, info, debug, trace, silent). */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema> & {
  issuer: string;
  scopes: string[];
  defaultScopes: string[];
  secureCookies: boolean;
  production: boolean;
};

export class ConfigError extends Error {
  readonly code = 'config_invalid';
}

/** Reads the configuration; throws ConfigError with every problem in one sentence each. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const c = parsed.data;
  const production = c.NODE_ENV === 'production';
  if (production && !c.SESSION_SECRET) throw new ConfigError('Invalid configuration: SESSION_SECRET is required when NODE_ENV=production');
  if (production && !c.ISSUER) throw new ConfigError('Invalid configuration: ISSUER is required when NODE_ENV=production');
  const issuer = (c.ISSUER ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  const scopes = c.SCOPES.split(/\s+/).filter(Boolean);
  const defaultScopes = c.DEFAULT_SCOPES.split(/\s+/).filter(Boolean);
  const unknownDefault = defaultScopes.filter((s) => !scopes.includes(s));
  if (unknownDefault.length) throw new ConfigError(`Invalid configuration: DEFAULT_SCOPES names unknown scopes ${unknownDefault.join(', ')}`);
  return { ...c, issuer, scopes, defaultScopes, secureCookies: issuer.startsWith('https://'), production };
}
