// Shared by the attack suites: raw HTTP from a chosen loopback address (the client socket bound
// with `localAddress`, so the provider sees distinct client IPs without trusting any header),
// sign-in form and password-grant guesses, and counting outcomes.
import http from 'node:http';
import { basic } from '../support/oauth-requests';
import { hiddenFields } from '../support/http-session';

/** RATE_LIMIT_WINDOW_SECONDS of ten years: exact counts must not straddle a (fixed) window boundary. */
export const ONE_WINDOW = String(10 * 365 * 24 * 3600);

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export function rawRequest(url: string, opts: { method?: string; form?: Record<string, string>; headers?: Record<string, string>; localAddress?: string } = {}): Promise<RawResponse> {
  const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined;
  const headers: Record<string, string> = { accept: 'text/html', ...opts.headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? (body !== undefined ? 'POST' : 'GET'), headers, localAddress: opts.localAddress, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A sign-in form a client at `localAddress` can post many times: its CSRF cookie and hidden fields. */
export async function loginForm(baseUrl: string, localAddress?: string): Promise<{ cookie: string; fields: Record<string, string> }> {
  const page = await rawRequest(`${baseUrl}/accounts/login/`, { localAddress });
  const cookie = (page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  return { cookie, fields: hiddenFields(page.text, '/accounts/login/') };
}

export async function formGuess(baseUrl: string, form: { cookie: string; fields: Record<string, string> }, username: string, password: string, localAddress?: string): Promise<number> {
  const res = await rawRequest(`${baseUrl}/accounts/login/`, { form: { ...form.fields, username, password }, headers: { cookie: form.cookie }, localAddress });
  return res.status;
}

export async function grantGuess(baseUrl: string, client: { client_id: string; client_secret: string }, username: string, password: string, localAddress?: string): Promise<RawResponse> {
  return rawRequest(`${baseUrl}/o/token/`, {
    form: { grant_type: 'password', username, password, scope: 'read' },
    headers: { authorization: basic(client.client_id, client.client_secret), accept: 'application/json' },
    localAddress,
  });
}

/** How many times each status occurred, e.g. { 401: 10, 429: 40 }. */
export function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}
