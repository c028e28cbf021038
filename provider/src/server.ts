// Starts the provider over an already-connected database: used by main.ts and by tests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { connectDatabase, type Database } from './db/connect';
import { createApp } from './app';
import type { Logger } from './log';
import { createServices, type Services } from './services';

export interface RunningProvider {
  url: string;
  port: number;
  services: Services;
  close(): Promise<void>;
}

export async function startProviderServer(config: Config, log: Logger, mongoUrl: string, existingDb?: Database): Promise<RunningProvider> {
  const db = existingDb ?? (await connectDatabase(mongoUrl, config.MONGO_DB));
  const services = createServices(config, db);
  // The first start generates the ID-token signing key; every start checks it can be read.
  await services.oidc.keys.ensureKey();
  const provider = createApp(services, log);
  const server = http.createServer(provider.app);
  server.headersTimeout = 20000;
  server.requestTimeout = 30000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.HOST}:${port}`,
    port,
    services,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await provider.close();
      if (!existingDb) await db.close();
    },
  };
}
