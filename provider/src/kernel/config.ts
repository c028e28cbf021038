// Every provider knob in one place: environment variable, default, meaning. One entry per knob:
// a `/** NAME: meaning */` comment (add "(default: …)" at its end when the default shown to
// people differs from the code's, e.g. a computed path) above `NAME: <zod schema>`.
// `npm run docs:config` writes .env.example and the README's configuration table from this list
// (provider/src/tools/config-docs.ts); test/provider/config-docs.test.ts fails when they drift.
import { z } from 'zod';
import path from 'node:path';
import { nearestName } from './config-names';
import { LANGUAGE_CODES, supportedLanguage } from './i18n/languages';

const bool = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'must be true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const seconds = z.coerce.number().int().positive().max(10 * 365 * 24 * 3600);

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export const configSchema = z.object({
  /** NODE_ENV: "production" makes SESSION_SECRET(S) and an https ISSUER mandatory and refuses the embedded database unless ALLOW_EMBEDDED_DATABASE=true. */
  NODE_ENV: z.string().default('development'),
  /** PORT: TCP port the HTTP server listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  /** HOST: interface to bind; 127.0.0.1 keeps a development provider off the network (use 0.0.0.0 in a container or behind a proxy on another host). */
  HOST: z.string().default('127.0.0.1'),
  /** ISSUER: public base URL (scheme://host[:port]) used in metadata, links and cookie security; cookies get Secure when it is https. Required in production, and https there unless it is a loopback address. (default: http://localhost:<PORT>) */
  ISSUER: z.string().url('must be a URL such as https://sso.example.com').optional(),
  /** MONGO_URL: MongoDB connection string (e.g. mongodb://mongo:27017/?replicaSet=rs0); unset → the embedded FerretDB in DATA_DIR. (default: unset → embedded FerretDB) */
  MONGO_URL: z.string().optional(),
  /** MONGO_DB: database name (keep it separate from Rocket.Chat's own database). */
  MONGO_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1 to 63 letters, digits, _ or -').default('hrm_sso'),
  /** DATA_DIR: embedded database files, the development session secret, the FerretDB binary. (default: .data/ in the repository) */
  DATA_DIR: z.string().default(path.join(REPO_ROOT, '.data')),
  /** FERRETDB_BIN: FerretDB executable for the embedded database. (default: <DATA_DIR>/bin/ferretdb) */
  FERRETDB_BIN: z.string().optional(),
  /** ALLOW_EMBEDDED_DATABASE: let NODE_ENV=production run the embedded FerretDB when MONGO_URL is unset (single-host installs that accept it). */
  ALLOW_EMBEDDED_DATABASE: bool.default('false'),
  /** ACCESS_TOKEN_EXPIRE_SECONDS: access token lifetime (DOT default 36000). */
  ACCESS_TOKEN_EXPIRE_SECONDS: seconds.default(36000),
  /** REFRESH_TOKEN_EXPIRE_SECONDS: refresh token idle timeout — unused this long, it expires; each rotation starts a new period (per client: refreshIdleTimeout). */
  REFRESH_TOKEN_EXPIRE_SECONDS: seconds.default(86400),
  /** REFRESH_TOKEN_ABSOLUTE_SECONDS: no refresh token of one grant outlives the grant's start + this (per client: refreshAbsoluteLifetime). */
  REFRESH_TOKEN_ABSOLUTE_SECONDS: seconds.default(365 * 24 * 3600),
  /** AUTHORIZATION_CODE_EXPIRE_SECONDS: authorization code lifetime (RFC 6749 recommends ≤ 10 min). */
  AUTHORIZATION_CODE_EXPIRE_SECONDS: seconds.default(60),
  /** ROTATE_REFRESH_TOKEN: issue a new refresh token on every refresh and retire the old one. */
  ROTATE_REFRESH_TOKEN: bool.default('true'),
  /** REFRESH_TOKEN_GRACE_SECONDS: after rotation, the old refresh token presented again within this window gets the same new pair (concurrent refreshes, lost responses); later it counts as reuse and revokes the grant. 0 = no grace. */
  REFRESH_TOKEN_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /** CLIENT_CACHE_SECONDS: how long a process reuses a client it read, and the discovery document's answer to "may any client use plain PKCE" (other processes' client changes show after at most this; 0 = no cache). */
  CLIENT_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  /** USER_CACHE_SECONDS: how long userinfo/introspection reuse a profile they read (revocation never waits for it). */
  USER_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  /** SCOPES: space-separated scopes the provider knows (openid, profile, email and hr drive OpenID Connect claims; hrm releases the HR lifecycle claims and the directory, docs/hr-lifecycle.md). */
  SCOPES: z.string().default('read write openid profile email hr hrm'),
  /** DEFAULT_SCOPES: scopes granted when a request names none. */
  DEFAULT_SCOPES: z.string().default('read'),
  /** SESSION_SECRET: signs browser session cookies (at least 32 characters); generated into DATA_DIR in development; this or SESSION_SECRETS is required in production. (default: generated into DATA_DIR/session-secret) */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** SESSION_SECRETS: several session secrets separated by commas, for rotation: the first signs new cookies, every one is still accepted. Use instead of SESSION_SECRET. */
  SESSION_SECRETS: z
    .string()
    .refine((v) => v.split(',').every((s) => s.trim().length >= 32), 'must be a comma-separated list of secrets of at least 32 characters each')
    .optional(),
  /** SESSION_MAX_AGE_SECONDS: browser session lifetime. */
  SESSION_MAX_AGE_SECONDS: seconds.default(8 * 3600),
  /** LOGIN_RATE_LIMIT: failed password checks allowed per account per window, from any IP, on the sign-in form and the password grant together. The account is the normalised username (trimmed incl. Unicode spaces, NFKC, lower-case), as in the user lookup; a successful sign-in resets it. See docs/rate-limits-and-passwords.md. */
  LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  /** LOGIN_IP_RATE_LIMIT: failed password checks allowed per client IP per window, whatever the usernames (sign-in form and password grant together). */
  LOGIN_IP_RATE_LIMIT: z.coerce.number().int().positive().default(50),
  /** TOKEN_RATE_LIMIT: token/revoke/introspect requests allowed per client IP per window. */
  TOKEN_RATE_LIMIT: z.coerce.number().int().positive().default(300),
  /** RATE_LIMIT_WINDOW_SECONDS: fixed window of all rate limits. Counters live in the database, are shared by all instances and hold under any concurrency (unique-key claims; no write per accepted request). */
  RATE_LIMIT_WINDOW_SECONDS: seconds.default(60),
  /** TRUST_PROXY: Express "trust proxy" setting (e.g. 1 behind one reverse proxy) so client IPs are right. */
  TRUST_PROXY: z.string().default('false'),
  /** PASSWORD_SCRYPT_COST: scrypt N for password hashes (power of two; r=8). With the default p=3 this is one of OWASP's scrypt settings (N=2^15, r=8, p=3: the work of N=2^17, p=1 with a quarter of the memory). Weaker hashes are re-hashed at the next sign-in; unknown users cost the same work. */
  PASSWORD_SCRYPT_COST: z.coerce.number().int().refine((n) => n >= 1024 && n <= 2 ** 20 && (n & (n - 1)) === 0, 'must be a power of two between 1024 and 1048576').default(32768),
  /** PASSWORD_SCRYPT_PARALLELISM: scrypt p for password hashes. Node runs the p lanes one after another: CPU time grows with p, memory (128·N·r bytes, 32 MiB at the defaults) does not. */
  PASSWORD_SCRYPT_PARALLELISM: z.coerce.number().int().min(1).max(16).default(3),
  /** SWEEP_INTERVAL_SECONDS: how often expired codes, tokens, sessions and counters are deleted. */
  SWEEP_INTERVAL_SECONDS: seconds.default(600),
  /** SWEEP_BATCH_SIZE: expired documents deleted per database command by the sweeper (FerretDB; MongoDB uses TTL indexes). */
  SWEEP_BATCH_SIZE: z.coerce.number().int().min(1).max(10000).default(1000),
  /** AUDIT_RETENTION_DAYS: audit-log entries older than this are deleted (TTL index on MongoDB, the sweeper on FerretDB); 0 keeps them forever. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36500).default(365),
  /** UV_THREADPOOL_SIZE: libuv worker threads (scrypt password hashing runs there); read by main.ts before the pool starts. */
  UV_THREADPOOL_SIZE: z.coerce.number().int().min(1).max(1024).default(4),
  /** WORKERS: HTTP worker processes (node:cluster) sharing PORT and the one database (MONGO_URL or the embedded FerretDB); the primary process runs the database, the sweeper, the directory sync and the mail worker once. 1 = a single process. See docs/performance.md for what a core buys. */
  WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** DB_COMMAND_METRICS: time every database command for the hrm_sso_db_command_duration_seconds metric (the driver's command monitoring, which decodes every reply a second time; false drops the metric and saved 16–20 % of node's CPU per userinfo/introspect request in docs/performance.md). */
  DB_COMMAND_METRICS: bool.default('true'),
  /** MAX_BODY_BYTES: request bodies above this size are refused with 413. */
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(16 * 1024),
  /** PRODUCT_NAME: shown in page titles and headers. */
  PRODUCT_NAME: z.string().default('HRM Sign-in'),
  /** DEFAULT_LANGUAGE: pages and mails use the account's language, else the browser's (Accept-Language), else this one: en, de, es, fr, pt-BR or ar (partial). */
  DEFAULT_LANGUAGE: z.string().default('en'),
  /** ORGANIZATION_NAME: the organisation shown on the login and consent pages. */
  ORGANIZATION_NAME: z.string().default('Your organisation'),
  /** SHUTDOWN_TIMEOUT_SECONDS: on SIGTERM/SIGINT the server stops accepting connections and waits this long for requests in flight before closing them and the database. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(600).default(10),
  /** SHUTDOWN_DRAIN_DELAY_SECONDS: on SIGTERM/SIGINT, keep accepting this long first (within SHUTDOWN_TIMEOUT_SECONDS; /readyz answers 503, answers carry "Connection: close"), so requests already on their way — in the listen queue or not yet parsed — are answered, not reset. */
  SHUTDOWN_DRAIN_DELAY_SECONDS: z.coerce.number().min(0).max(60).default(1),
  /** METRICS_TOKEN: when set, GET /metrics requires "Authorization: Bearer <METRICS_TOKEN>"; unset, /metrics is open (restrict it at the reverse proxy). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
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
  /** LOGO_URL: logo shown in every page's header (an https URL or a path on this server such as /static/logo.svg); unset → the product name only. */
  LOGO_URL: z.string().regex(/^(https:\/\/|\/(?!\/))\S+$/, 'must be an https:// URL or a path starting with /').optional(),
  /** FAVICON_URL: the pages' favicon (an https URL or a path on this server); unset → a built-in icon in the accent colour. */
  FAVICON_URL: z.string().regex(/^(https:\/\/|\/(?!\/))\S+$/, 'must be an https:// URL or a path starting with /').optional(),
  /** ACCENT_COLOR: accent colour of buttons and links as #rrggbb; pick one with at least 4.5:1 contrast on white (the default has 6.9:1). */
  ACCENT_COLOR: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #1d4ed8').default('#1d4ed8'),
  /** SUPPORT_CONTACT: where people get help (an e-mail address, URL or phone number), shown in every page's footer, on error pages and in CLI output for locked-out users; unset → "your administrators". */
  SUPPORT_CONTACT: z.string().trim().max(200).optional(),
  /** TWO_FACTOR_REQUIRED: who must use two-factor sign-in (an authenticator app or a passkey): off (everyone may opt in), admins, or everyone. People who must but have neither are sent to set one up right after their password. */
  TWO_FACTOR_REQUIRED: z.enum(['off', 'admins', 'everyone']).default('off'),
  /** TWO_FACTOR_ENCRYPTION_KEY: secret (≥ 32 characters) that encrypts TOTP secrets in the database; unset → the session secret(s) do (a secret is re-encrypted with the current key at each use, so keep a rotated-out session secret listed until everyone has signed in). */
  TWO_FACTOR_ENCRYPTION_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** TWO_FACTOR_ENROLMENT_SECONDS: how long a started two-factor set-up (QR code shown, not yet confirmed with a code) stays valid. */
  TWO_FACTOR_ENROLMENT_SECONDS: seconds.default(600),
  /** TWO_FACTOR_LOGIN_SECONDS: how long the second sign-in step (code after a correct password) may take before the password must be entered again. */
  TWO_FACTOR_LOGIN_SECONDS: seconds.default(300),
  /** TWO_FACTOR_RATE_LIMIT: wrong two-factor or recovery codes allowed per account per window (RATE_LIMIT_WINDOW_SECONDS); a correct code resets it. */
  TWO_FACTOR_RATE_LIMIT: z.coerce.number().int().positive().default(5),
  /** TWO_FACTOR_IP_RATE_LIMIT: wrong codes at the second sign-in step allowed per client IP per window (RATE_LIMIT_WINDOW_SECONDS), whatever the accounts — stops one address guessing across many accounts whose passwords it knows. */
  TWO_FACTOR_IP_RATE_LIMIT: z.coerce.number().int().positive().default(20),
  /** TWO_FACTOR_LOCK_MAX_SECONDS: longest lock of an account's second sign-in step. Each time the wrong-code allowance (TWO_FACTOR_RATE_LIMIT) is used up, the step is locked for RATE_LIMIT_WINDOW_SECONDS × 2^(locks so far) up to this, for browsers that never completed a two-factor sign-in of the account (docs/mail.md). */
  TWO_FACTOR_LOCK_MAX_SECONDS: seconds.default(24 * 3600),
  // Passkeys (WebAuthn, domain/passkeys/, docs/admin-guide.md "Passkeys"). Relying party id and origin come from ISSUER.
  /** PASSKEY_PASSWORDLESS: let people sign in with a passkey alone (a discoverable credential with user verification: PIN or biometrics on the device) from the sign-in page; false = passkeys are only a second factor after the password. */
  PASSKEY_PASSWORDLESS: bool.default('false'),
  /** PASSKEY_CHALLENGE_SECONDS: how long a passkey request (registration or sign-in challenge, kept in the server-side session and usable once) stays valid. */
  PASSKEY_CHALLENGE_SECONDS: z.coerce.number().int().min(15).max(600).default(120),
  /** PASSWORD_MIN_SCORE: weakest password (zxcvbn score 0–4) people may choose when they change their own password; 3 = "safely unguessable". */
  PASSWORD_MIN_SCORE: z.coerce.number().int().min(0).max(4).default(3),
  /** LOG_LEVEL: pino level (fatal, error, warn, info, debug, trace, silent). */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Mail: invitations, password resets, security notices (provider/src/domain/mail/, docs/mail.md).
  /** SMTP_URL: where mail is sent: smtp://[user@]host[:587] (STARTTLS required, except on loopback), smtps://[user@]host[:465] (TLS), or smtp://host:25/?starttls=off (plain on purpose). Unset → no mail: invitation links are shown to the administrator instead. */
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'must be a URL such as smtp://user@mail.example.com:587 or smtps://user@mail.example.com:465').optional(),
  /** SMTP_PASSWORD: the SMTP password (instead of putting it in SMTP_URL). */
  SMTP_PASSWORD: z.string().optional(),
  /** MAIL_FROM: sender of every mail, e.g. "Sign-in <sso@example.com>"; required with SMTP_URL. */
  MAIL_FROM: z.string().trim().max(320).optional(),
  /** MAIL_REPLY_TO: where replies go (e.g. the help desk); unset → replies go to MAIL_FROM. */
  MAIL_REPLY_TO: z.string().trim().max(320).optional(),
  /** MAIL_INVITATION_HOURS: how long a "set your password" invitation link works (single use). */
  MAIL_INVITATION_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
  /** MAIL_RESET_MINUTES: how long a "Forgot password?" link works (single use). */
  MAIL_RESET_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
  /** MAIL_NOTICES: security notices mailed to the account's owner: all, none, or a comma-separated list of password_changed, two_factor_enabled, two_factor_disabled, recovery_code_used, two_factor_locked. */
  MAIL_NOTICES: z
    .string()
    .refine((v) => ['all', 'none'].includes(v.trim().toLowerCase()) || v.split(',').every((k) => ['password_changed', 'two_factor_enabled', 'two_factor_disabled', 'recovery_code_used', 'two_factor_locked'].includes(k.trim().toLowerCase())), 'must be all, none, or a comma-separated list of password_changed, two_factor_enabled, two_factor_disabled, recovery_code_used, two_factor_locked')
    .default('all'),
  /** MAIL_MAX_ATTEMPTS: sending attempts per mail before it is given up (logged, counted in /metrics). */
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  /** MAIL_RETRY_SECONDS: wait before the first retry of a failed mail; doubles with each attempt (up to 6 hours). */
  MAIL_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** MAIL_POLL_SECONDS: how often the mail worker looks for queued mail (mail queued by the same process is sent at once). */
  MAIL_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** MAIL_SEND_TIMEOUT_SECONDS: limit for connecting to and each answer of the SMTP server. */
  MAIL_SEND_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(30),
  /** PASSWORD_RESET_RATE_LIMIT: "Forgot password?" requests per typed username or address per window (RATE_LIMIT_WINDOW_SECONDS), and reset mails per account (whichever name was typed). */
  PASSWORD_RESET_RATE_LIMIT: z.coerce.number().int().positive().default(3),
  /** PASSWORD_RESET_IP_RATE_LIMIT: "Forgot password?" requests per client IP per window. */
  PASSWORD_RESET_IP_RATE_LIMIT: z.coerce.number().int().positive().default(20),
  /** LOG_FORMAT: auto = readable lines when stdout is a terminal, JSON lines otherwise (files, journald, containers); json or pretty force one. */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  // HR lifecycle (provider/src/domain/hr/, docs/hr-lifecycle.md).
  /** HR_ROLE_MAP: JSON object mapping HR roles to Rocket.Chat role names, released as the `roles` claim (scope hrm), e.g. {"hr-admin":"admin","manager":"leader"}; HR roles not in it are not released. */
  HR_ROLE_MAP: z
    .string()
    .refine((v) => {
      try {
        const m = JSON.parse(v) as unknown;
        return typeof m === 'object' && m !== null && !Array.isArray(m) && Object.values(m).every((r) => typeof r === 'string' && r.length > 0);
      } catch {
        return false;
      }
    }, 'must be a JSON object of HR role → Rocket.Chat role name, e.g. {"hr-admin":"admin"}')
    .default('{}'),
  /** HRM_STATUS_BATCH_MAX: most HRM users one POST /api/v2/hrm/status/ request may ask about. */
  HRM_STATUS_BATCH_MAX: z.coerce.number().int().min(1).max(1000).default(100),
  /** HRM_STATUS_RATE_LIMIT: status requests allowed per client per window (RATE_LIMIT_WINDOW_SECONDS). */
  HRM_STATUS_RATE_LIMIT: z.coerce.number().int().positive().default(60),
  /** HRM_DIRECTORY_RATE_LIMIT: directory searches and colleague lookups allowed per user per window. */
  HRM_DIRECTORY_RATE_LIMIT: z.coerce.number().int().positive().default(60),
  /** HRM_DIRECTORY_PAGE_SIZE: people per page of GET /api/v2/hrm/directory/. */
  HRM_DIRECTORY_PAGE_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** HRM_DIRECTORY_FIELDS: comma-separated fields the directory shows colleagues (of username, name, job_title, department, manager, picture, employee_number, employment_status, email, groups). */
  HRM_DIRECTORY_FIELDS: z
    .string()
    .refine((v) => v.split(',').map((f) => f.trim()).filter(Boolean).every((f) => ['username', 'name', 'job_title', 'department', 'manager', 'picture', 'employee_number', 'employment_status', 'email', 'groups'].includes(f)), 'must list only username, name, job_title, department, manager, picture, employee_number, employment_status, email or groups')
    .default('username,name,job_title,department,manager,picture,employment_status'),
  // People in and out (domain/people/, docs/people.md): CSV import, SCIM provisioning, directory sync.
  /** CSV_IMPORT_MAX_BYTES: largest CSV file `user import` and the admin import page accept (10,000 people take about 1.5 MB). */
  CSV_IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).max(512 * 1048576).default(10 * 1048576),
  /** SCIM_RATE_LIMIT: SCIM requests allowed per provisioning connection per window (RATE_LIMIT_WINDOW_SECONDS); more get 429 with Retry-After. */
  SCIM_RATE_LIMIT: z.coerce.number().int().positive().default(1200),
  /** SCIM_MAX_RESULTS: most resources one SCIM list or search answer holds (a larger `count` is capped; clients page with startIndex). */
  SCIM_MAX_RESULTS: z.coerce.number().int().min(1).max(1000).default(200),
  /** SCIM_MAX_BODY_BYTES: largest SCIM request body (a group with thousands of members needs more than MAX_BODY_BYTES). */
  SCIM_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(64 * 1048576).default(1048576),
  /** LDAP_URL: directory to sync people from: ldaps://host:636, or ldap://host:389 (StartTLS unless LDAP_STARTTLS=false); unset → no directory sync. */
  LDAP_URL: z.string().regex(/^ldaps?:\/\/[^\s/]+\/?$/i, 'must be ldap://host[:port] or ldaps://host[:port]').optional(),
  /** LDAP_STARTTLS: upgrade an ldap:// connection with StartTLS before binding (turn off only for a directory on the same host or a test). */
  LDAP_STARTTLS: bool.default('true'),
  /** LDAP_TLS_CA_FILE: PEM file of the CA that signed the directory's certificate (when it is not publicly trusted, e.g. an AD enterprise CA). */
  LDAP_TLS_CA_FILE: z.string().optional(),
  /** LDAP_BIND_DN: the read-only service account the sync binds as, e.g. cn=hrm-sync,ou=services,dc=example,dc=org or hrm-sync@corp.example.com (AD). */
  LDAP_BIND_DN: z.string().optional(),
  /** LDAP_BIND_PASSWORD: that account's password. */
  LDAP_BIND_PASSWORD: z.string().optional(),
  /** LDAP_BASE_DN: where people are searched (subtree), e.g. ou=people,dc=example,dc=org. */
  LDAP_BASE_DN: z.string().optional(),
  /** LDAP_PRESET: attribute names and default filter: openldap (inetOrgPerson: uid, mail, cn, givenName, sn, ou, title, manager, employeeNumber, entryUUID) or active-directory (sAMAccountName, mail, displayName, givenName, sn, department, title, manager, employeeNumber, userAccountControl, objectGUID). */
  LDAP_PRESET: z.enum(['openldap', 'active-directory']).default('openldap'),
  /** LDAP_USER_FILTER: LDAP filter selecting people. (default: (objectClass=inetOrgPerson) for openldap; (&(objectCategory=person)(objectClass=user)) for active-directory) */
  LDAP_USER_FILTER: z.string().optional(),
  /** LDAP_ATTRIBUTE_MAP: JSON object overriding the preset's attribute names, keys among username, email, name, givenName, familyName, department, jobTitle, manager, employeeNumber, disabled, id; e.g. {"username":"mail"}. */
  LDAP_ATTRIBUTE_MAP: z
    .string()
    .refine((v) => {
      try {
        const m = JSON.parse(v) as unknown;
        const keys = ['username', 'email', 'name', 'givenName', 'familyName', 'department', 'jobTitle', 'manager', 'employeeNumber', 'disabled', 'id'];
        return typeof m === 'object' && m !== null && !Array.isArray(m) && Object.entries(m).every(([k, a]) => keys.includes(k) && typeof a === 'string' && /^[A-Za-z][A-Za-z0-9-]*$/.test(a));
      } catch {
        return false;
      }
    }, 'must be a JSON object of field → LDAP attribute name, e.g. {"username":"mail"} (fields: username, email, name, givenName, familyName, department, jobTitle, manager, employeeNumber, disabled, id)')
    .default('{}'),
  /** LDAP_GROUP_MAP: JSON object of directory group DN → "department:<name>" or "team:<slug>"; members of the group (its member/uniqueMember values) get that department or team. */
  LDAP_GROUP_MAP: z
    .string()
    .refine((v) => {
      try {
        const m = JSON.parse(v) as unknown;
        return typeof m === 'object' && m !== null && !Array.isArray(m) && Object.values(m).every((t) => typeof t === 'string' && /^(department:.+|team:[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)$/.test(t));
      } catch {
        return false;
      }
    }, 'must be a JSON object of group DN → "department:<name>" or "team:<slug>"')
    .default('{}'),
  /** LDAP_SYNC_INTERVAL_SECONDS: how often the server syncs the directory; 0 = only on demand (`hrm-sso directory sync`, the admin page). */
  LDAP_SYNC_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(7 * 24 * 3600).default(3600),
  /** LDAP_TIMEOUT_SECONDS: connect and operation timeout of directory requests; a sync that runs into it changes nothing. */
  LDAP_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(15),
});

export type Config = z.infer<typeof configSchema> & {
  issuer: string;
  scopes: string[];
  defaultScopes: string[];
  /** SESSION_SECRETS split, or [SESSION_SECRET]; empty in development without either (a generated one is used). */
  sessionSecrets: string[];
  secureCookies: boolean;
  production: boolean;
};

export class ConfigError extends Error {
  readonly code = 'config_invalid';
}

/** Every variable the provider reads (for the unknown-variable check). */
export const KNOWN_VARIABLES: readonly string[] = Object.keys(configSchema.shape);

/** Values never printed in error messages. */
const SECRET_VARIABLES = /SECRET|ENCRYPTION_KEY|^METRICS_TOKEN$|^MONGO_URL$|^SMTP_URL$|^SMTP_PASSWORD$|^LDAP_BIND_PASSWORD$/;

/** Reads the configuration; throws ConfigError whose message has one sentence per problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')) as Record<string, string>;
  const problems: string[] = unknownVariables(Object.keys(present));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const seen = new Set<string>();
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]);
      if (seen.has(name)) continue; // one sentence per variable: its first problem
      seen.add(name);
      problems.push(`${name} is ${shown(name, present[name])}, but it ${expectation(issue)}.`);
    }
  }
  if (problems.length || !parsed.success) throw new ConfigError(`Invalid configuration: ${problems.join(' ')}`);
  const c = parsed.data;
  const production = c.NODE_ENV === 'production';
  if (c.SESSION_SECRET && c.SESSION_SECRETS) problems.push('SESSION_SECRET and SESSION_SECRETS are both set; set only SESSION_SECRETS (the first secret signs, all are accepted).');
  const sessionSecrets = c.SESSION_SECRETS ? c.SESSION_SECRETS.split(',').map((v) => v.trim()) : c.SESSION_SECRET ? [c.SESSION_SECRET] : [];
  if (production && sessionSecrets.length === 0) problems.push('SESSION_SECRET is required when NODE_ENV=production: set it (or SESSION_SECRETS) to a random string of at least 32 characters.');
  if (production && !c.ISSUER) problems.push('ISSUER is required when NODE_ENV=production: set it to the public https URL of the provider, e.g. https://sso.example.com.');
  if (production && c.ISSUER && !c.ISSUER.startsWith('https://') && !isLoopbackUrl(c.ISSUER)) {
    problems.push(`ISSUER is "${c.ISSUER}", but with NODE_ENV=production it must be an https:// URL (plain http only for localhost): browsers would send session cookies in clear.`);
  }
  if (c.SMTP_URL && !c.MAIL_FROM) problems.push('MAIL_FROM is required when SMTP_URL is set: set it to the sender, e.g. MAIL_FROM="Sign-in <sso@example.com>".');
  if (production && !c.MONGO_URL && !c.ALLOW_EMBEDDED_DATABASE) {
    problems.push('MONGO_URL is not set, and NODE_ENV=production does not run the embedded FerretDB unless asked: set MONGO_URL to your MongoDB, or ALLOW_EMBEDDED_DATABASE=true to run the embedded database on purpose.');
  }
  const defaultLanguage = supportedLanguage(c.DEFAULT_LANGUAGE);
  if (!defaultLanguage) problems.push(`DEFAULT_LANGUAGE is "${c.DEFAULT_LANGUAGE}", but the shipped languages are ${LANGUAGE_CODES.join(', ')}.`);
  const issuer = (c.ISSUER ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  const scopes = c.SCOPES.split(/\s+/).filter(Boolean);
  const defaultScopes = c.DEFAULT_SCOPES.split(/\s+/).filter(Boolean);
  const unknownDefault = defaultScopes.filter((s) => !scopes.includes(s));
  if (unknownDefault.length) problems.push(`DEFAULT_SCOPES is "${c.DEFAULT_SCOPES}", but it names unknown scopes ${unknownDefault.join(', ')}: every default scope must be listed in SCOPES ("${c.SCOPES}").`);
  if (problems.length) throw new ConfigError(`Invalid configuration: ${problems.join(' ')}`);
  return { ...c, DEFAULT_LANGUAGE: defaultLanguage ?? 'en', issuer, scopes, defaultScopes, sessionSecrets, secureCookies: issuer.startsWith('https://'), production };
}

function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The value as people should see it: quoted, or hidden for secrets. */
function shown(name: string, value: string | undefined): string {
  if (value === undefined) return 'not set';
  if (SECRET_VARIABLES.test(name)) return `set (value hidden, ${value.length} characters)`;
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

/** What the variable must be, from the first thing zod found wrong, as the end of "…, but it …". */
function expectation(issue: z.ZodIssue): string {
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      if (issue.expected === 'number') return 'must be a number';
      if (issue.expected === 'integer') return 'must be a whole number';
      return `must be ${issue.expected}`;
    case z.ZodIssueCode.too_small:
      if (issue.type === 'string') return `must be at least ${issue.minimum} characters long`;
      return issue.inclusive ? `must be at least ${issue.minimum}` : `must be greater than ${issue.minimum}`;
    case z.ZodIssueCode.too_big:
      return issue.type === 'string' ? `must be at most ${issue.maximum} characters long` : `must be at most ${issue.maximum}`;
    case z.ZodIssueCode.invalid_enum_value:
      return `must be one of ${issue.options.join(', ')}`;
    default:
      return issue.message.startsWith('must') ? issue.message : `must be valid (${issue.message})`;
  }
}

/** Variables that look like ours but are not: reserved prefix, one of our families, or a near-miss spelling. */
function unknownVariables(names: string[]): string[] {
  const known = new Set(KNOWN_VARIABLES);
  const problems: string[] = [];
  for (const name of names) {
    if (known.has(name) || !/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
    const suggestion = nearestName(name, KNOWN_VARIABLES);
    if (!suggestion.looksOurs) continue;
    problems.push(`${name} is not a setting of this provider${suggestion.name ? `; did you mean ${suggestion.name}?` : ' (see .env.example for the list).'}`);
  }
  return problems;
}
