// A request id for every request: taken from a well-formed incoming X-Request-Id (a proxy's), or
// generated; echoed in the response and attached to every log line written while serving it.
import { AsyncLocalStorage } from 'node:async_hooks';
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
    const context = { requestId };
    // Body parsers continue from the request stream's events, which belong to the socket's
    // context; running emit inside this request's store keeps those continuations (and their log
    // lines) in it. (AsyncResource.bind did the same at about twice the cost per request: it
    // creates a resource and a deprecated accessor every time.)
    const emit = req.emit;
    req.emit = function emitInRequestContext(this: Request, ...args: Parameters<Request['emit']>) {
      return store.run(context, () => emit.apply(this, args));
    } as Request['emit'];
    store.run(context, next);
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
