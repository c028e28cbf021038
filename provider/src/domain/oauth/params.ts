// Request parameter hygiene shared by the OAuth endpoints: flat string values only,
// no duplicates (RFC 6749 §3.1), so no request value can ever become a Mongo operator.
import type { Request } from 'express';
import { OAuthError } from '../../kernel/errors';

export type Params = Record<string, string>;

export function flatParams(source: unknown, where: string): Params {
  const out: Params = {};
  if (!source || typeof source !== 'object') return out;
  for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
    if (Array.isArray(value)) throw new OAuthError('invalid_request', `Parameter "${key}" was sent more than once in the ${where}.`);
    if (typeof value !== 'string') throw new OAuthError('invalid_request', `Parameter "${key}" in the ${where} must be a plain string.`);
    out[key] = value;
  }
  return out;
}

export function isFormRequest(req: Request): boolean {
  return !!req.is('application/x-www-form-urlencoded');
}

/** Rejects a body in any other encoding than the form encoding RFC 6749 requires. */
export function formBody(req: Request): Params {
  const length = Number(req.headers['content-length'] ?? 0);
  const hasBody = length > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !isFormRequest(req)) {
    throw new OAuthError('invalid_request', 'The request body must be application/x-www-form-urlencoded.');
  }
  return flatParams(req.body, 'request body');
}

export function queryParams(req: Request): Params {
  return flatParams(req.query, 'query string');
}

export function required(params: Params, name: string): string {
  const v = params[name];
  if (v === undefined || v === '') throw new OAuthError('invalid_request', `Missing parameter: ${name}.`);
  return v;
}
