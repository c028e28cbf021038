// Ends everything a user's credentials have granted: on deactivation and password resets
// (admin or self). Tokens and codes: a `user:` revocation marker plus marked tokens (final
// whatever is in flight, store/revocations.ts). Consents: deleted, so the next authorization
// asks again. Browser sessions: `sessionsEndedAt` on the user; the current-user middleware ends
// any session that signed in before it (web/current-user.ts).
import type { Database } from '../db/connect';
import type { TokenStore } from './tokens';
import { ConsentStore } from './consents';

export async function endUserAccess(db: Database, tokens: TokenStore, userId: string): Promise<{ tokensRevoked: number }> {
  const tokensRevoked = await tokens.revokeForUser(userId);
  await Promise.all([
    new ConsentStore(db).withdrawAllForUser(userId),
    // Wall-clock time, like the session's authTime it is compared with.
    db.users.updateOne({ _id: userId }, { $set: { sessionsEndedAt: new Date() } }),
  ]);
  return { tokensRevoked };
}

/** Whether a browser session that signed in at `authTime` (ms) was ended by endUserAccess. */
export function sessionEnded(sessionsEndedAt: Date | undefined, authTime: number | undefined): boolean {
  return !!sessionsEndedAt && (authTime ?? 0) <= sessionsEndedAt.getTime();
}
