// One-time form submissions (http/kit/pages.ts `once`): a unique _id insert claims a
// (nonce, path, body) key atomically, so a double-clicked form is applied exactly once.
import type { Database } from '../db/connect';
import type { FormSubmissionDoc } from '../db/schema';
import { isDuplicateKey } from '../db/errors';
import { trackExpiry } from '../db/expiry';

/** Kept a day: long enough to answer a re-post with the first result's link. */
export const FORM_SUBMISSION_TTL_SECONDS = 24 * 3600;

/** Claims the key; a duplicate gets the first submission's record (or null if it is gone). */
export async function claimFormSubmission(db: Database, key: string): Promise<{ ok: true } | { ok: false; previous: FormSubmissionDoc | null }> {
  try {
    const at = new Date();
    await db.formSubmissions.insertOne({ _id: key, at });
    await trackExpiry(db, [{ collection: 'form_submissions', id: key, expiresAt: new Date(at.getTime() + FORM_SUBMISSION_TTL_SECONDS * 1000) }]);
    return { ok: true };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return { ok: false, previous: await db.formSubmissions.findOne({ _id: key }) };
  }
}

export async function completeFormSubmission(db: Database, key: string, href: string, label: string): Promise<void> {
  await db.formSubmissions.updateOne({ _id: key }, { $set: { href, label } });
}

export async function releaseFormSubmission(db: Database, key: string): Promise<void> {
  await db.formSubmissions.deleteOne({ _id: key });
}
