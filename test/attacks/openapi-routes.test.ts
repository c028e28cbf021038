// openapi/openapi.yaml describes exactly the application's routes: a route added without its
// description (or a described route that no longer exists) fails here.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../provider/src/kernel/config';
import { startTestProvider, type TestProvider } from '../support/provider';
import { createApp } from '../../provider/src/http/app';
import { createLogger } from '../../provider/src/kernel/log';
import { listRoutes } from './routes';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
let p: TestProvider;

beforeAll(async () => {
  p = await startTestProvider();
}, 60000);
afterAll(() => p?.stop());

function described(): string[] {
  const spec = parse(fs.readFileSync(path.join(REPO_ROOT, 'openapi/openapi.yaml'), 'utf8'));
  expect(spec.openapi).toMatch(/^3\./);
  const out: string[] = [];
  for (const [p, item] of Object.entries(spec.paths as Record<string, Record<string, unknown>>)) {
    for (const m of Object.keys(item)) if (HTTP_METHODS.includes(m)) out.push(`${m.toUpperCase()} ${p}`);
  }
  return out.sort();
}

test('every route of the app is described in openapi/openapi.yaml, and nothing else', () => {
  const provider = createApp(p.running.services, createLogger('silent'));
  const routes = listRoutes(provider.app);
  void provider.close();
  expect(routes.length).toBeGreaterThan(30);
  expect(routes).toContain('POST /o/token/');
  expect(routes).toContain('GET /admin/users/{id}/');
  expect(described()).toEqual(routes);
});
