// deploy/systemd/hrm-sso.service passes `systemd-analyze verify`, keeps its hardening, and runs the
// compiled provider with node directly (so SIGTERM reaches it).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../provider/src/kernel/config';

const UNIT = path.join(REPO_ROOT, 'deploy', 'systemd', 'hrm-sso.service');

test('systemd-analyze verify accepts the unit', () => {
  const tool = spawnSync('systemd-analyze', ['--version']);
  if (tool.status !== 0) throw new Error('systemd-analyze is missing: install Debian\'s "systemd" package (.ci/run does)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hrm-unit-'));
  try {
    // The unit names Debian's /usr/bin/node; verify checks that ExecStart exists, so point it at this node.
    const unit = fs.readFileSync(UNIT, 'utf8').replace('/usr/bin/node', process.execPath);
    fs.writeFileSync(path.join(dir, 'hrm-sso.service'), unit);
    const r = spawnSync('systemd-analyze', ['verify', path.join(dir, 'hrm-sso.service')], { encoding: 'utf8' });
    expect(r.stderr.split('\n').filter((l) => l.includes('hrm-sso.service'))).toEqual([]);
    expect(r.status).toBe(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the unit is hardened and starts node on the compiled output', () => {
  const unit = fs.readFileSync(UNIT, 'utf8');
  expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node \/opt\/hrm-sso\/provider\/dist\/main\.js$/m);
  for (const line of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'CapabilityBoundingSet=', 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX', 'SystemCallFilter=@system-service', 'User=hrm-sso', 'KillSignal=SIGTERM']) {
    expect(unit.split('\n')).toContain(line);
  }
});
