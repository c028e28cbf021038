// Wires stores around one database connection; shared by the server, the CLI and tests.
import type { Config } from './config';
import type { Database } from './db/connect';
import { ClientStore } from './store/clients';
import { TokenStore } from './store/tokens';
import { UserStore } from './store/users';
import { AuditLog } from './store/audit';
import { OidcService } from './oidc/service';

export interface Services {
  config: Config;
  db: Database;
  users: UserStore;
  clients: ClientStore;
  tokens: TokenStore;
  audit: AuditLog;
  oidc: OidcService;
}

export function createServices(config: Config, db: Database): Services {
  const users = new UserStore(db, config.PASSWORD_SCRYPT_COST);
  const clients = new ClientStore(db);
  const tokens = new TokenStore(db);
  return {
    config,
    db,
    users,
    clients,
    tokens,
    audit: new AuditLog(db),
    oidc: new OidcService({ config, db, users, clients, tokens }),
  };
}
