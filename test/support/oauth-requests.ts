// Raw HTTP helpers that send exactly the requests each client shape sends.
import crypto from 'node:crypto';
import { authorizeWithForms } from './authorize-with-forms';

export function basic(id: string, secret: string): string {
  return 'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');
}

/** Status, headers, raw text, and the JSON body when there is one. */
async function readResponse(res: Response) {
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export async function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return readResponse(res);
}

export async function getJson(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers: { accept: 'application/json', ...headers } });
  return readResponse(res);
}

export function pkcePair() {
  const verifier = crypto.randomBytes(32).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

export function authorizeUrl(baseUrl: string, params: Record<string, string>): string {
  return `${baseUrl}/o/authorize/?${new URLSearchParams({ response_type: 'code', ...params }).toString()}`;
}

/** Runs login + consent and returns the code from the redirect. */
export async function obtainCode(baseUrl: string, params: Record<string, string>, creds = { username: 'alice', password: 'correct horse battery' }): Promise<{ code: string; back: URL }> {
  const back = await authorizeWithForms(authorizeUrl(baseUrl, params), creds);
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`no code in redirect: ${back}`);
  return { code, back };
}
