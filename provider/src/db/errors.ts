// Is this failure the database being unreachable (outage, restart, failover)? Those are answered
// 503 "try again shortly", never 500. Libraries wrap driver errors (oauth2-server's ServerError
// keeps the original in `inner`), so look through wrappers too.
import { MongoError } from 'mongodb';

const TRANSIENT = /^Mongo(Network|ServerSelection|NetworkTimeout|Topology|PoolCleared|ServerClosed|ClientClosed)?(Error)?/;

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { name?: unknown; inner?: unknown; cause?: unknown };
  if (err instanceof MongoError || (typeof e.name === 'string' && TRANSIENT.test(e.name))) return true;
  return isDatabaseUnavailable(e.inner, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1);
}
