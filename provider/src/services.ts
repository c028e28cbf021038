// Wires stores around one database connection; shared by the server, the CLI and tests.
import type { Config } from './config';
import type { Database } from './db/connect';
import { ClientStore } from './store/clients';
import { TokenStore } from './store/tokens';
import { UserStore } from './store/users';
import { AuditLog } from './store/audit';
import { Lifecycle } from './lifecycle';

export interface Services {
  config: Config;
  db: Database;
  users: UserStore;
  clients: ClientStore;
  tokens: TokenStore;
  audit: AuditLog;
  lifecycle: Lifecycle;
}

export function createServices(config: Config, db: Database): Services {
  return {
    config,
    db,
    users: new UserStore(db, config.PASSWORD_SCRYPT_COST),
    clients: new ClientStore(db),
    tokens: new TokenStore(db),
    audit: new AuditLog(db, config.AUDIT_RETENTION_DAYS),
    lifecycle: new Lifecycle(),
  };
}
