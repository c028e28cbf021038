// scrypt cost: unknown users cost the same work as wrong passwords at the configured cost, and a
// hash made at a lower cost is re-hashed at the configured one on the next successful sign-in.
import { startTestProvider, type TestProvider } from '../support/provider';
import { UserStore } from '../../provider/src/store/users';
import { needsRehash } from '../../provider/src/kernel/security/passwords';
import { grantGuess } from './support';

let p: TestProvider;
let client: { client_id: string; client_secret: string };

beforeAll(async () => {
  // The configured work (2^12 × p=2) differs from the old fixed dummy hash (2^15 × p=1, 4× the work), so a fixed dummy would show.
  p = await startTestProvider({ env: { PASSWORD_SCRYPT_COST: '4096', PASSWORD_SCRYPT_PARALLELISM: '2', LOGIN_RATE_LIMIT: '1000', LOGIN_IP_RATE_LIMIT: '1000' } });
  // Created at a lower cost, as by an older configuration.
  await new UserStore(p.db, 1024, 1).create({ username: 'old', email: 'old@example.com', name: 'Old Hash', password: 'right password 42' });
  await p.createUser({ username: 'current', email: 'current@example.com', name: 'Current', password: 'right password 42' });
  client = await p.createClient({ name: 'password grant test', redirectUris: ['http://127.0.0.1:9/cb'], preset: 'generic', grants: ['password'] });
}, 60000);
afterAll(() => p?.stop());

const hashOf = async (username: string) => (await p.db.users.findOne({ username }))!.passwordHash!;

test('a successful sign-in re-hashes a hash weaker than the configured cost; a failed one does not', async () => {
  expect(await hashOf('old')).toMatch(/^scrypt\$1024\$8\$1\$/);
  expect((await grantGuess(p.baseUrl, client, 'old', 'wrong password')).status).toBe(400);
  expect(await hashOf('old')).toMatch(/^scrypt\$1024\$8\$1\$/);
  expect((await grantGuess(p.baseUrl, client, 'old', 'right password 42')).status).toBe(200);
  const upgraded = await hashOf('old');
  expect(upgraded).toMatch(/^scrypt\$4096\$8\$2\$/);
  expect(needsRehash(upgraded, { cost: 4096, parallelism: 2 })).toBe(false);
  expect((await grantGuess(p.baseUrl, client, 'old', 'right password 42')).status).toBe(200);
  expect(await hashOf('current')).toMatch(/^scrypt\$4096\$8\$2\$/);
});

test('an unknown username costs the same scrypt work as a wrong password (medians of interleaved runs within 2×)', async () => {
  const users = p.running.services.users;
  const time = async (username: string) => {
    const t = process.hrtime.bigint();
    expect(await users.checkPassword(username, 'wrong password')).toMatchObject({ ok: false });
    return Number(process.hrtime.bigint() - t);
  };
  const unknown: number[] = [];
  const wrong: number[] = [];
  for (let i = 0; i < 7; i++) {
    unknown.push(await time(`nobody${i}`));
    wrong.push(await time('current'));
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[3];
  const ratio = median(unknown) / median(wrong);
  // With the old fixed-cost dummy hash this ratio is ≈ 4 at these settings.
  expect(ratio).toBeGreaterThan(0.5);
  expect(ratio).toBeLessThan(2);
});
