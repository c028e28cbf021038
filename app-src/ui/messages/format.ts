/** Formatting of identities, profiles, dates and durations for chat messages, in the user's language. */
import { HrmProfile } from '../../features/provider-api/profile';
import { LinkedIdentity } from '../../infra/storage/identities';
import { t } from '../i18n/translate';

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

/**
 * "2026-11-22 14:05 UTC+1" in the user's UTC offset (hours, as Rocket.Chat stores it); other
 * languages get their locale's date and time ("22.11.2026, 14:05 UTC+1").
 */
export function formatDate(epochMs: number, utcOffsetHours = 0, lang = 'en'): string {
    const offset = Number.isFinite(utcOffsetHours) ? utcOffsetHours : 0;
    const d = new Date(epochMs + offset * 3_600_000);
    const zone = offset === 0 ? 'UTC' : `UTC${offset > 0 ? '+' : '-'}${Math.abs(offset)}`;
    if (lang !== 'en') {
        try {
            return `${new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(d)} ${zone}`;
        } catch {
            // a runtime without this locale: the ISO-like form below
        }
    }
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} ${zone}`;
}

/** "in 4 minutes", "in 2 hours", "5 minutes ago" (or the locale's words); under a minute counts in seconds. */
export function formatRelative(targetMs: number, now: number, lang = 'en'): string {
    const delta = targetMs - now;
    const abs = Math.abs(delta);
    const seconds = Math.round(abs / 1000);
    let value: number;
    let unit: 'second' | 'minute' | 'hour' | 'day';
    if (seconds < 60) {
        [value, unit] = [seconds, 'second'];
    } else if (seconds < 3600) {
        [value, unit] = [Math.round(seconds / 60), 'minute'];
    } else if (seconds < 48 * 3600) {
        [value, unit] = [Math.round(seconds / 3600), 'hour'];
    } else {
        [value, unit] = [Math.round(seconds / 86400), 'day'];
    }
    if (lang !== 'en') {
        try {
            return new Intl.RelativeTimeFormat(lang, { numeric: 'always' }).format(delta >= 0 ? value : -value, unit);
        } catch {
            // a runtime without this locale: English below
        }
    }
    const amount = `${value} ${unit}${value === 1 ? '' : 's'}`;
    return delta >= 0 ? `in ${amount}` : `${amount} ago`;
}

export function formatProfile(profile: HrmProfile, lang = 'en'): string {
    const line = (key: string, value: string | undefined): string => `*${t(lang, key)}:* ${value ?? MISSING}`;
    return [
        line('label-name', profile.name),
        line('label-username', profile.username),
        line('label-email', profile.email),
        line('label-department', profile.department),
        line('label-job-title', profile.jobTitle),
    ].join('\n');
}

export function formatStatus(identity: LinkedIdentity, now: number, utcOffsetHours: number, lang = 'en'): string {
    const lines = [t(lang, 'status-linked', { who: describeIdentity(identity), date: formatDate(identity.linkedAt, utcOffsetHours, lang) })];
    const expiry = identity.accessTokenExpiresAt;
    if (expiry === undefined) {
        lines.push(t(lang, 'status-no-expiry'));
    } else if (expiry > now) {
        lines.push(t(lang, 'status-expires', { relative: formatRelative(expiry, now, lang), date: formatDate(expiry, utcOffsetHours, lang) }));
    } else {
        lines.push(t(lang, 'status-expired', { relative: formatRelative(expiry, now, lang) }));
    }
    return lines.join('\n');
}
