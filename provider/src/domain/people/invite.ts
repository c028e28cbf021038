// Accounts created without a password (CSV, SCIM, directory sync without delegated sign-in)
// cannot sign in until their owner sets one. The invitation mail is the mail feature's; until it
// is merged this hook sends nothing and the account simply waits for an administrator.
import type { UserDoc } from '../../db/schema';
import type { Services } from '../services';

export function inviteAfterCreate(_services: Services): ((user: UserDoc) => Promise<void>) | undefined {
  return undefined;
}
