// Sign-in cost at the configured scrypt parameters: password-grant latency (sequential) and
// throughput (4 concurrent) against an in-process provider on a real FerretDB.
//   npx tsx bench/login-latency.ts [N=32768] [p=3]
import { startTestProvider } from '../test/support/provider';
import { basic } from '../test/support/oauth-requests';

async function main() {
  const [N = '32768', p = '3'] = process.argv.slice(2);
  const provider = await startTestProvider({ env: { PASSWORD_SCRYPT_COST: N, PASSWORD_SCRYPT_PARALLELISM: p, LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT: '100000', LOGIN_IP_RATE_LIMIT: '100000', TOKEN_RATE_LIMIT: '100000' } });
  try {
    await provider.createUser({ username: 'bench', email: 'bench@example.com', name: 'Bench', password: 'correct horse battery' });
    const client = await provider.createClient({ name: 'bench', redirectUris: ['http://127.0.0.1:9/cb'], preset: 'generic', grants: ['password'] });
    const login = async (password: string) => {
      const t = performance.now();
      const res = await fetch(`${provider.baseUrl}/o/token/`, { method: 'POST', headers: { authorization: basic(client.client_id, client.client_secret), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'password', username: 'bench', password }) });
      await res.text();
      return performance.now() - t;
    };
    const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))].toFixed(0);
    await login('correct horse battery');
    const ok: number[] = [];
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 15; i++) {
      ok.push(await login('correct horse battery'));
      wrong.push(await login('wrong password'));
      const t = performance.now();
      await fetch(`${provider.baseUrl}/o/token/`, { method: 'POST', headers: { authorization: basic(client.client_id, client.client_secret), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'password', username: `nobody${i}`, password: 'x' }) }).then((r) => r.text());
      unknown.push(performance.now() - t);
    }
    const started = performance.now();
    let done = 0;
    await Promise.all(Array.from({ length: 4 }, async () => { while (done < 40) { done++; await login('correct horse battery'); } }));
    const seconds = (performance.now() - started) / 1000;
    console.log(`scrypt N=${N} r=8 p=${p}: sign-in p50 ${pct(ok, 0.5)} ms p95 ${pct(ok, 0.95)} ms; wrong password p50 ${pct(wrong, 0.5)} ms; unknown user p50 ${pct(unknown, 0.5)} ms; ${(40 / seconds).toFixed(1)} sign-ins/s at 4 concurrent`);
  } finally {
    await provider.stop();
  }
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
