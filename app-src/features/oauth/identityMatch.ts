/**
 * Does the HRM identity belong to this Rocket.Chat user? Only when the HRM email — which the
 * provider must state is verified (`email_verified: true`) — is one of the user's Rocket.Chat
 * emails that Rocket.Chat marks verified. An unverified address on either side proves nothing
 * (anyone can type someone else's address into a profile), and neither does an equal username:
 * anyone can rename their chat account to a colleague's username (since 0.3; installs without
 * verified chat emails use the admin-approved pending links instead, infra/storage/pendingLinks.ts).
 * Comparisons ignore case and surrounding spaces.
 */
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { HrmProfile } from '../provider-api/profile';

function norm(value: string | undefined): string {
    return (value ?? '').trim().toLowerCase();
}

export function identityMatchesUser(profile: HrmProfile, user: IUser): boolean {
    const email = norm(profile.email);
    if (!email || !profile.emailVerified) {
        return false;
    }
    return (user.emails ?? []).some((e) => e.verified === true && norm(e.address) === email);
}
