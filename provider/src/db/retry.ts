// FerretDB v1 occasionally answers a well-formed command with a reply the driver cannot read
// ('BSON element "cursor" is missing') under concurrent load. Reads and other idempotent
// operations are retried once; anything else surfaces as before (→ 503 in the error handler).

/** True for the reply errors seen from FerretDB that a second attempt answers normally. */
export function isTransientReplyError(err: unknown): boolean {
  const e = err as { name?: string; message?: string } | null;
  if (!e || typeof e.message !== 'string') return false;
  return (e.name === 'BSONError' || e.name === 'MongoUnexpectedServerResponseError') && /BSON element "[^"]+" is missing/.test(e.message);
}

/**
 * Runs `op`, and once more if it failed with a transient reply error. Only for idempotent
 * operations (reads, deletes by _id, $set to fixed values, unique inserts whose duplicate-key
 * error the caller handles): a write that did happen must be safe to send again.
 */
export async function retryIdempotent<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (!isTransientReplyError(err)) throw err;
    return op();
  }
}
