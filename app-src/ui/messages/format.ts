/** Formatting of identities, profiles, dates and durations for chat messages. */
import { HrmProfile } from '../../features/provider-api/profile';
import { LinkedIdentity } from '../../infra/storage/identities';

const MISSING = '—';

/** "Ada Lovelace (ada, ada@example.com)", leaving out what is unknown. */
export function describeIdentity(identity: { name?: string; username?: string; email?: string; sub: string }): string {
    const details = [identity.username, identity.email].filter((v): v is string => Boolean(v));
    const head = identity.name ?? identity.username ?? identity.email ?? `HRM user ${identity.sub}`;
    const rest = details.filter((d) => d !== head);
    return rest.length > 0 ? `${head} (${rest.join(', ')})` : head;
}

function pad(n: number): string {
    return String(n).padStart(2, '0');
}

/** "2026-11-22 14:05 UTC+1" in the user's UTC offset (hours, as Rocket.Chat stores it). */
export function formatDate(epochMs: number, utcOffsetHours = 0): string {
    const offset = Number.isFinite(utcOffsetHours) ? utcOffsetHours : 0;
    const d = new Date(epochMs + offset * 3_600_000);
    const zone = offset === 0 ? 'UTC' : `UTC${offset > 0 ? '+' : '-'}${Math.abs(offset)}`;
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} ${zone}`;
}

/** "in 4 minutes", "in 2 hours", "5 minutes ago"; under a minute counts in seconds. */
export function formatRelative(targetMs: number, now: number): string {
    const delta = targetMs - now;
    const abs = Math.abs(delta);
    const seconds = Math.round(abs / 1000);
    let amount: string;
    if (seconds < 60) {
        amount = `${seconds} second${seconds === 1 ? '' : 's'}`;
    } else if (seconds < 3600) {
        const m = Math.round(seconds / 60);
        amount = `${m} minute${m === 1 ? '' : 's'}`;
    } else if (seconds < 48 * 3600) {
        const h = Math.round(seconds / 3600);
        amount = `${h} hour${h === 1 ? '' : 's'}`;
    } else {
        const d = Math.round(seconds / 86400);
        amount = `${d} day${d === 1 ? '' : 's'}`;
    }
    return delta >= 0 ? `in ${amount}` : `${amount} ago`;
}

export function formatProfile(profile: HrmProfile): string {
    const line = (label: string, value: string | undefined): string => `*${label}:* ${value ?? MISSING}`;
    return [
        line('Name', profile.name),
        line('Username', profile.username),
        line('Email', profile.email),
        line('Department', profile.department),
        line('Job title', profile.jobTitle),
    ].join('\n');
}

export function formatStatus(identity: LinkedIdentity, now: number, utcOffsetHours: number): string {
    const lines = [`Linked to HRM as ${describeIdentity(identity)} since ${formatDate(identity.linkedAt, utcOffsetHours)}.`];
    const expiry = identity.accessTokenExpiresAt;
    if (expiry === undefined) {
        lines.push('The HRM provider did not say when the access token expires.');
    } else if (expiry > now) {
        lines.push(`The access token expires ${formatRelative(expiry, now)} (${formatDate(expiry, utcOffsetHours)}); it is renewed automatically.`);
    } else {
        lines.push(`The access token expired ${formatRelative(expiry, now)}; it will be renewed on next use.`);
    }
    return lines.join('\n');
}
