// An in-process provider on 127.0.0.1 and a free port, over its own real FerretDB.
import { loadConfig, type Config } from '../../provider/src/kernel/config';
import { connectDatabase, type Database } from '../../provider/src/db/connect';
import { createLogger } from '../../provider/src/kernel/log';
import { startProviderServer, type RunningProvider } from '../../provider/src/server';
import type { ClientPreset, GrantType } from '../../provider/src/db/schema';
import { startTestDatabase, type TestDatabase } from './ferretdb';
import { LogCapture } from './log-capture';
import type { Clock } from '../../provider/src/kernel/clock';
import type { MongoClientOptions } from 'mongodb';

export interface TestUserInput {
  username: string;
  email: string;
  name: string;
  password: string;
  department?: string;
  jobTitle?: string;
  admin?: boolean;
}

export interface TestClientInput {
  name: string;
  redirectUris: string[];
  preset?: ClientPreset;
  type?: 'confidential' | 'public';
  grants?: GrantType[];
  skipAuthorization?: boolean;
  requirePkce?: boolean;
  allowPlainPkce?: boolean;
  accessTokenLifetime?: number;
  refreshIdleTimeout?: number;
  refreshAbsoluteLifetime?: number;
  allowQueryAccessToken?: boolean;
  allowIntrospection?: boolean;
  postLogoutRedirectUris?: string[];
  revokeTokensOnLogout?: boolean;
  allowedOrigins?: string[];
}

export interface TestProvider {
  baseUrl: string;
  mongoUrl: string;
  config: Config;
  db: Database;
  running: RunningProvider;
  logs: LogCapture;
  stop(): Promise<void>;
  createUser(u: TestUserInput): Promise<{ id: string }>;
  createClient(c: TestClientInput): Promise<{ client_id: string; client_secret: string }>;
}

export const TEST_SESSION_SECRET = 'test-session-secret-0123456789-abcdefghijklmnop';

export async function startTestProvider(opts: { env?: Record<string, string>; database?: TestDatabase; clock?: Clock; mongoOptions?: MongoClientOptions } = {}): Promise<TestProvider> {
  const database = opts.database ?? (await startTestDatabase());
  const ownsDatabase = !opts.database;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    MONGO_URL: database.url,
    MONGO_DB: 'hrm_test',
    SESSION_SECRET: TEST_SESSION_SECRET,
    PASSWORD_SCRYPT_COST: '1024',
    LOG_LEVEL: 'info',
    ...opts.env,
  });
  const logs = new LogCapture();
  const log = createLogger(config.LOG_LEVEL, logs);
  const db = await connectDatabase(database.url, config.MONGO_DB, { clientOptions: opts.mongoOptions });
  const running = await startProviderServer(config, log, database.url, db, { clock: opts.clock });
  // The issuer must be the real address for metadata and redirects.
  const baseUrl = running.url;
  (config as { issuer: string }).issuer = opts.env?.ISSUER ?? baseUrl;
  const { users, clients } = running.services;
  return {
    baseUrl,
    mongoUrl: database.url,
    config,
    db,
    running,
    logs,
    stop: async () => {
      await running.close();
      await db.close();
      if (ownsDatabase) await database.stop();
    },
    createUser: async (u) => {
      const doc = await users.create(u);
      return { id: doc._id };
    },
    createClient: async (c) => {
      const { client, clientSecret } = await clients.create(c);
      return { client_id: client._id, client_secret: clientSecret ?? '' };
    },
  };
}
