// scim2-tester (PyPI, pinned in test/requirements.txt) against /scim/v2 on a real provider: every
// check it runs for what ServiceProviderConfig, ResourceTypes and Schemas advertise must pass.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../../provider/src/kernel/config';
import { startTestProvider, type TestProvider } from '../support/provider';

interface CheckResult {
  status: string;
  title: string;
  reason: string;
  resource_type: string | null;
}

describe('scim2-tester against /scim/v2', () => {
  let p: TestProvider;
  let token: string;

  beforeAll(async () => {
    p = await startTestProvider();
    token = (await p.running.services.scimConnections.create('scim2-tester', 'test')).token;
  }, 120_000);
  afterAll(() => p?.stop());

  /** Async: the provider answers from this same process. */
  function runChecks(): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const python = path.join(REPO_ROOT, '.venv', 'bin', 'python');
    return new Promise((resolve, reject) => {
      const child = spawn(python, [path.join(__dirname, 'scim_check.py'), `${p.baseUrl}/scim/v2`], { env: { ...process.env, SCIM_TOKEN: token } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }

  test('zero failures on every check of the advertised features', async () => {
    const run = await runChecks();
    expect(run.stderr).not.toMatch(/Traceback/);
    expect(run.status).toBe(0);
    const results = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as CheckResult);
    const failed = results.filter((r) => r.status !== 'SUCCESS' && r.status !== 'SKIPPED');
    if (failed.length) console.log(failed.map((f) => `${f.resource_type ?? ''} ${f.title}: ${f.reason}`).join('\n'));
    expect(failed).toEqual([]);
    // The run really exercised the resources: creation, reads, PUT, DELETE and PATCH on both.
    const passed = results.filter((r) => r.status === 'SUCCESS');
    for (const type of ['User', 'Group']) {
      for (const title of ['object_creation', 'object_query', 'object_replacement', 'object_deletion', 'check_add_attribute', 'check_remove_attribute', 'check_replace_attribute']) {
        expect(passed.some((r) => r.resource_type === type && r.title === title)).toBe(true);
      }
    }
    expect(passed.length).toBeGreaterThan(40);
  }, 300_000);
});
