// A test consumer that sends exactly Rocket.Chat Custom OAuth's requests ("Token Sent Via:
// Header", "Identity Token Sent Via: Header"):
//   1. browser → GET <URL><Authorize Path>?client_id&redirect_uri&response_type=code&state&scope
//   2. server  → POST <Token Path>, form body code, redirect_uri, grant_type=authorization_code, state,
//                HTTP Basic client auth, Accept: application/json
//   3. server  → GET <Identity Path> with Authorization: Bearer <access token>
// Like Rocket.Chat, it accepts a callback only for a state it issued, once.
import crypto from 'node:crypto';
import { startServer } from './browser';

export interface ConsumerLogin {
  state: string;
  tokenStatus: number;
  identityStatus?: number;
  identity?: Record<string, unknown>;
  error?: string;
}

export interface RocketChatConsumer {
  url: string;
  redirectUri: string;
  logins: ConsumerLogin[];
  setCredentials(id: string, secret: string): void;
  close(): Promise<void>;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export async function startRocketChatConsumer(providerUrl: string, creds: { id: string; secret: string } = { id: '', secret: '' }): Promise<RocketChatConsumer> {
  const pending = new Set<string>();
  const logins: ConsumerLogin[] = [];
  let redirectUri = '';
  const page = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Rocket.Chat (test)</title></head><body>${body}</body></html>`;
  const server = await startServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://consumer');
    if (url.pathname === '/') {
      const state = crypto.randomBytes(16).toString('base64url');
      pending.add(state);
      const authorize = new URL('/o/authorize/', providerUrl);
      authorize.search = new URLSearchParams({ client_id: creds.id, redirect_uri: redirectUri, response_type: 'code', state, scope: 'read write' }).toString();
      res.writeHead(200, { 'content-type': 'text/html' }).end(page(`<h1>Rocket.Chat</h1><a id="login-hrm" href="${escapeHtml(authorize.toString())}">Log in with HRM</a>`));
      return;
    }
    if (url.pathname === '/_oauth/hrm') {
      const state = url.searchParams.get('state') ?? '';
      const code = url.searchParams.get('code');
      if (!pending.delete(state)) {
        res.writeHead(400, { 'content-type': 'text/html' }).end(page('<h1>No matching login attempt found</h1>'));
        return;
      }
      const login: ConsumerLogin = { state, tokenStatus: 0 };
      logins.push(login);
      if (!code) {
        login.error = url.searchParams.get('error') ?? 'no code';
        res.writeHead(200, { 'content-type': 'text/html' }).end(page(`<h1 id="result">Login cancelled: ${escapeHtml(login.error)}</h1>`));
        return;
      }
      const token = await fetch(new URL('/o/token/', providerUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: 'Basic ' + Buffer.from(`${creds.id}:${creds.secret}`).toString('base64') },
        body: new URLSearchParams({ code, redirect_uri: redirectUri, grant_type: 'authorization_code', state }).toString(),
      });
      login.tokenStatus = token.status;
      const tokenBody = (await token.json().catch(() => ({}))) as { access_token?: string };
      if (!token.ok || !tokenBody.access_token) {
        res.writeHead(200, { 'content-type': 'text/html' }).end(page('<h1 id="result">Failed to complete OAuth handshake with hrm</h1>'));
        return;
      }
      const identity = await fetch(new URL('/api/v2/o/userinfo/', providerUrl), { headers: { authorization: `Bearer ${tokenBody.access_token}`, accept: 'application/json' } });
      login.identityStatus = identity.status;
      login.identity = (await identity.json()) as Record<string, unknown>;
      const who = login.identity;
      res.writeHead(200, { 'content-type': 'text/html' }).end(page(`<h1 id="result">Welcome, ${escapeHtml(String(who.name))}</h1><p>username <span id="username">${escapeHtml(String(who.username))}</span>, id <span id="user-id">${escapeHtml(String(who.id))}</span></p>`));
      return;
    }
    res.writeHead(404).end();
  });
  redirectUri = `${server.url}/_oauth/hrm`;
  return {
    url: server.url,
    redirectUri,
    logins,
    setCredentials(id: string, secret: string) {
      creds = { id, secret };
    },
    close: server.close,
  };
}
