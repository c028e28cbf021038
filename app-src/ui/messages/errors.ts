/** An AppError as a sentence in the user's language: known codes are translated; others keep their (English) message. */
import { AppError } from '../../core/result';
import { t } from '../i18n/translate';

const TRANSLATED: Partial<Record<AppError['code'], string>> = {
    not_linked: 'error-not-linked',
    session_expired: 'error-session-expired',
    token_rejected: 'error-token-rejected',
};

export function errorText(lang: string, error: AppError): string {
    const key = TRANSLATED[error.code];
    // English keeps the exact sentence of the code path (two kinds of expired session, say).
    return key && lang !== 'en' ? t(lang, key) : error.message;
}

/** "HRM …" stays as is, anything else starts lower-case after a colon. */
export function asReason(sentence: string): string {
    return sentence.startsWith('HRM') ? sentence : sentence.charAt(0).toLowerCase() + sentence.slice(1);
}
