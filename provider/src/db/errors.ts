// Is this failure the database being unreachable (outage, restart, failover)? Those are answered
// 503 "try again shortly", never 500. Libraries wrap driver errors (oauth2-server's ServerError
// keeps the original in `inner`), so look through wrappers too.
import { MongoError } from 'mongodb';

const TRANSIENT = /^Mongo(Network|ServerSelection|NetworkTimeout|Topology|PoolCleared|ServerClosed|ClientClosed)?(Error)?/;

// A socket error the driver let through unwrapped (seen when FerretDB is killed mid-write: a plain
// Error "This socket has been ended by the other party", code EPIPE). Request handlers do no other
// network I/O, so on their path such an error can only be the database connection.
const SOCKET_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ERR_SOCKET_CLOSED', 'ERR_STREAM_DESTROYED']);

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { name?: unknown; code?: unknown; message?: unknown; inner?: unknown; cause?: unknown };
  if (err instanceof MongoError || (typeof e.name === 'string' && TRANSIENT.test(e.name))) return true;
  if (typeof e.code === 'string' && SOCKET_CODES.has(e.code)) return true;
  if (typeof e.message === 'string' && e.message.startsWith('This socket has been ended by the other party')) return true;
  return isDatabaseUnavailable(e.inner, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1);
}

/** A unique-index violation (MongoDB code 11000; FerretDB on SQLite words it differently). */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: number; message?: string };
  return e?.code === 11000 || /E11000|UNIQUE constraint failed/.test(e?.message ?? '');
}
