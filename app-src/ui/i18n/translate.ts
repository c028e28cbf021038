/**
 * Chat text in the user's Rocket.Chat language (the i18n files' "chat-" keys, see
 * scripts/app-i18n.js), falling back to English for a language or a key without a translation.
 * `{name}` placeholders are filled from params.
 */
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { CATALOGS } from './catalog';

export const LANGUAGES = ['en', 'de', 'es', 'fr', 'pt-BR'] as const;

/** The user's language as one of the app's catalogs: "de-AT" → "de", "pt" → "pt-BR", unknown → "en". */
export function userLanguage(user: IUser | undefined): string {
    const raw = user?.settings?.preferences?.language;
    return normaliseLanguage(typeof raw === 'string' ? raw : undefined);
}

export function normaliseLanguage(raw: string | undefined): string {
    if (!raw) {
        return 'en';
    }
    const wanted = raw.trim().replace('_', '-').toLowerCase();
    const exact = Object.keys(CATALOGS).find((l) => l.toLowerCase() === wanted);
    if (exact) {
        return exact;
    }
    const base = wanted.split('-')[0];
    return Object.keys(CATALOGS).find((l) => l.toLowerCase().split('-')[0] === base) ?? 'en';
}

export function t(language: string, key: string, params: Record<string, string | number> = {}): string {
    const text = CATALOGS[language]?.[`chat-${key}`] ?? CATALOGS.en?.[`chat-${key}`] ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** `key-one` for 1, `key-other` for anything else (enough for the app's five languages). */
export function tn(language: string, key: string, count: number, params: Record<string, string | number> = {}): string {
    return t(language, `${key}-${count === 1 ? 'one' : 'other'}`, { count, ...params });
}
