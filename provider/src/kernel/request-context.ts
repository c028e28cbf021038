// A request id for every request: taken from a well-formed incoming X-Request-Id (a proxy's), or
// generated; echoed in the response and attached to every log line written while serving it.
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const store = new AsyncLocalStorage<{ requestId: string }>();

/** Ids from outside are trusted only in a harmless shape (no log injection, bounded length). */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export function requestIdMiddleware() {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && SAFE_ID.test(incoming) ? incoming : crypto.randomUUID();
    (req as Request & { id?: string }).id = requestId; // the access log (http/middleware/access-log.ts) writes it
    res.set('X-Request-Id', requestId);
    store.run({ requestId }, () => {
      // Body parsers continue from the request stream's events, which belong to the socket's
      // context; binding emit keeps those continuations (and their log lines) in this request's.
      req.emit = AsyncResource.bind(req.emit.bind(req));
      next();
    });
  };
}

export function currentRequestId(): string | undefined {
  return store.getStore()?.requestId;
}

/** pino `mixin`: adds requestId to lines logged inside a request. */
export function requestIdMixin(): { requestId?: string } {
  const requestId = currentRequestId();
  return requestId ? { requestId } : {};
}
