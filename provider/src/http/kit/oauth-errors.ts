// The OAuth endpoints' one way of refusing a request: a handler throws an OAuthError (or the
// library's error, translated), the wrapper logs it once for the admin and answers RFC 6749 §5.2
// JSON. Anything else is rethrown to the app's error handler (500 / 503).
import type { Request, Response } from 'express';
import { OAuthError } from '../../kernel/errors';
import type { Logger } from '../../kernel/log';

/** RFC 6749 §5.2 error response; 401 invalid_client carries a Basic challenge (§5.2). */
export function sendOAuthError(res: Response, err: OAuthError): void {
  if (err.status === 401 && err.code === 'invalid_client') res.set('WWW-Authenticate', 'Basic realm="hrm", charset="UTF-8"');
  res.status(err.status).set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(err.toJSON());
}

/** How an endpoint's refusals are logged. */
export interface RefusalLog {
  log: Logger;
  /** The log event, e.g. `revoke_error`. */
  event: string;
  /** The log line, e.g. (e) => `revocation refused: ${e.reason}`. */
  message(e: OAuthError): string;
  /** Turns another error that means an OAuth refusal (the library's) into one; undefined rethrows. */
  translate?(err: unknown): OAuthError | undefined;
}

/**
 * Fields a handler learns along the way (client id, grant type) and wants in the refusal's log
 * line; it fills them in as it goes.
 */
export type RefusalFields = Record<string, unknown>;

/** Wraps an OAuth endpoint: its OAuthErrors become logged RFC 6749 §5.2 answers. */
export function withOAuthErrors(refusal: RefusalLog, handler: (req: Request, res: Response, fields: RefusalFields) => Promise<unknown>) {
  return async (req: Request, res: Response): Promise<void> => {
    const fields: RefusalFields = {};
    try {
      await handler(req, res, fields);
    } catch (err) {
      const e = err instanceof OAuthError ? err : refusal.translate?.(err);
      if (!e) throw err;
      refusal.log.warn({ event: refusal.event, ...fields, error: e.code, reason: e.reason }, refusal.message(e));
      sendOAuthError(res, e);
    }
  };
}
