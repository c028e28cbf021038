/** A provider-supplied string, trimmed and capped at 200 characters; anything else (or blank) is undefined. */
export function boundedText(v: unknown): string | undefined {
    return typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : undefined;
}
