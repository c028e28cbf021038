/**
 * Does the HRM identity belong to this Rocket.Chat user? Either the usernames are equal, or
 * the HRM email (unless the provider says it is unverified) is one of the user's emails.
 * Comparisons ignore case and surrounding spaces.
 */
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { HrmProfile } from '../provider/profile';

function norm(value: string | undefined): string {
    return (value ?? '').trim().toLowerCase();
}

export function identityMatchesUser(profile: HrmProfile, user: IUser): boolean {
    const username = norm(profile.username);
    if (username && username === norm(user.username)) {
        return true;
    }
    const email = norm(profile.email);
    if (!email || !profile.emailVerified) {
        return false;
    }
    return (user.emails ?? []).some((e) => norm(e.address) === email);
}
