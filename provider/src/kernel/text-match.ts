// User text inside a database regex: always escaped, never a pattern of the user's own.
import { AppError } from './errors';

/** The text with every regex metacharacter escaped, so it matches itself literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A case-insensitive "contains" regex for a database query. A BSON regex is a C string: a NUL
 * byte cannot be sent (the driver throws), so text holding one is refused as bad input.
 */
export function containsText(text: string): RegExp {
  if (text.includes('\0')) throw new AppError('invalid_text', 'The search text must not contain a NUL character.');
  return new RegExp(escapeRegExp(text), 'i');
}
