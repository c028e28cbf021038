import type { Response } from 'express';
import type { OAuthError } from '../../kernel/errors';

/** RFC 6749 §5.2 error response; 401 invalid_client carries a Basic challenge (§5.2). */
export function sendOAuthError(res: Response, err: OAuthError): void {
  if (err.status === 401 && err.code === 'invalid_client') res.set('WWW-Authenticate', 'Basic realm="hrm", charset="UTF-8"');
  res.status(err.status).set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(err.toJSON());
}
