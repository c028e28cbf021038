// Wires stores around one database connection; shared by the server, the CLI and tests.
import type { Config } from '../kernel/config';
import type { Database } from '../db/connect';
import { systemClock, type Clock } from '../kernel/clock';
import { ClientStore } from '../store/clients';
import { RevocationStore } from '../store/revocations';
import { TokenStore } from '../store/tokens';
import { UserCache } from '../store/user-cache';
import { UserStore } from '../store/users';
import { AuditLog } from '../store/audit';
import { Lifecycle } from '../kernel/lifecycle';
import { OidcService } from './oidc/service';
import { TwoFactorStore } from '../store/two-factor';
import { MailOutboxStore } from '../store/mail-outbox';
import { AccountLinkStore } from '../store/account-links';
import { TwoFactorLockoutStore } from '../store/two-factor-lockouts';
import { Mailer } from './mail/mailer';
import { ConsentStore } from '../store/consents';
import { FirstRun } from './accounts/first-run';

export interface Services {
  config: Config;
  db: Database;
  clock: Clock;
  users: UserStore;
  userCache: UserCache;
  clients: ClientStore;
  tokens: TokenStore;
  consents: ConsentStore;
  audit: AuditLog;
  lifecycle: Lifecycle;
  oidc: OidcService;
  twoFactor: TwoFactorStore;
  /** Queues mail (domain/mail/mailer.ts); the worker in jobs/mail-worker.ts sends it. */
  mail: Mailer;
  /** One-time invitation and password-reset links. */
  accountLinks: AccountLinkStore;
  /** Progressive locks of the second sign-in step. */
  twoFactorLockouts: TwoFactorLockoutStore;
  firstRun: FirstRun;
}

export function createServices(config: Config, db: Database, opts: { clock?: Clock } = {}): Services {
  const clock = opts.clock ?? systemClock;
  // Markers must outlive in-flight requests and unredeemed codes (store/revocations.ts).
  const revocations = new RevocationStore(db, clock, Math.max(3600, config.AUTHORIZATION_CODE_EXPIRE_SECONDS * 2));
  const tokens = new TokenStore(db, revocations, clock);
  const users = new UserStore(db, config.PASSWORD_SCRYPT_COST, config.PASSWORD_SCRYPT_PARALLELISM);
  const clients = new ClientStore(db, config.CLIENT_CACHE_SECONDS, tokens);
  return {
    config,
    db,
    clock,
    users,
    userCache: new UserCache(users, config.USER_CACHE_SECONDS),
    clients,
    tokens,
    consents: new ConsentStore(db),
    audit: new AuditLog(db, config.AUDIT_RETENTION_DAYS),
    lifecycle: new Lifecycle(),
    oidc: new OidcService({ config, db, users, clients, tokens }),
    twoFactor: new TwoFactorStore(db, config),
    mail: new Mailer(config, new MailOutboxStore(db, clock)),
    accountLinks: new AccountLinkStore(db, clock),
    twoFactorLockouts: new TwoFactorLockoutStore(db, clock, { windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS, maxLockSeconds: config.TWO_FACTOR_LOCK_MAX_SECONDS }),
    firstRun: new FirstRun(users, config.issuer),
  };
}
