// A real OpenLDAP server (Debian's slapd) for one test file: a generated slapd.conf (core, cosine,
// inetorgperson schemas; mdb database) in a temporary folder, loaded with slapadd, listening on
// 127.0.0.1 and a free port. Stopped (and its folder removed) by the test.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stopChild } from './stop-child';

export interface Slapd {
  url: string;
  port: number;
  rootDn: string;
  rootPassword: string;
  stop(): Promise<void>;
}

const SLAPD = fs.existsSync('/usr/sbin/slapd') ? '/usr/sbin/slapd' : 'slapd';
const SLAPADD = fs.existsSync('/usr/sbin/slapadd') ? '/usr/sbin/slapadd' : 'slapadd';
const MODULES = ['/usr/lib/ldap', '/usr/lib/x86_64-linux-gnu/ldap', '/usr/lib/aarch64-linux-gnu/ldap'].find((d) => fs.existsSync(path.join(d, 'back_mdb.so'))) ?? '/usr/lib/ldap';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string, timeoutMs = 15000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`slapd exited (${child.exitCode}): ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1', () => (sock.end(), resolve(true)));
      sock.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`slapd did not listen on ${port}: ${log()}`);
}

/** `suffix` e.g. dc=example,dc=org; `ldif` the entries (the suffix entry included). */
export async function startSlapd(suffix: string, ldif: string, opts: { schemas?: string[] } = {}): Promise<Slapd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hrm-slapd-'));
  const rootDn = `cn=admin,${suffix}`;
  const rootPassword = 'admin-secret-for-tests';
  const schemas = ['core', 'cosine', 'inetorgperson', ...(opts.schemas ?? [])];
  const conf = [
    ...schemas.map((s) => `include /etc/ldap/schema/${s}.schema`),
    `pidfile ${dir}/slapd.pid`,
    `modulepath ${MODULES}`,
    'moduleload back_mdb',
    'database mdb',
    `suffix "${suffix}"`,
    `rootdn "${rootDn}"`,
    `rootpw ${rootPassword}`,
    `directory ${dir}/data`,
    'maxsize 10485760',
    // Authenticated users read everything; anonymous binds get nothing.
    'access to * by self write by users read by anonymous auth',
  ].join('\n');
  fs.mkdirSync(path.join(dir, 'data'));
  fs.writeFileSync(path.join(dir, 'slapd.conf'), `${conf}\n`);
  fs.writeFileSync(path.join(dir, 'data.ldif'), ldif);
  const add = spawnSync(SLAPADD, ['-f', path.join(dir, 'slapd.conf'), '-l', path.join(dir, 'data.ldif')], { encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`slapadd failed: ${add.stderr}`);
  const port = await freePort();
  let output = '';
  const child = spawn(SLAPD, ['-f', path.join(dir, 'slapd.conf'), '-h', `ldap://127.0.0.1:${port}/`, '-d', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await waitForPort(port, child, () => output);
  return {
    url: `ldap://127.0.0.1:${port}`,
    port,
    rootDn,
    rootPassword,
    stop: async () => {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
