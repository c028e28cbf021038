// The passkey checks' sentences (domain/passkeys/service.ts) in the reader's language, for the
// JSON answers that public/passkeys.js shows. Every key here has the domain's English sentence
// as its English text (kit/known-messages.ts matches them).
import type { Translate } from '../../kernel/i18n/translator';
import { translateKnown } from '../kit/known-messages';

export const PASSKEY_FAILURE_KEYS = [
  'auth:passkeyErrors.alreadyRegistered',
  'auth:passkeyErrors.cloned',
  'auth:passkeyErrors.expiredChallenge',
  'auth:passkeyErrors.malformed',
  'auth:passkeyErrors.noChallenge',
  'auth:passkeyErrors.otherRequest',
  'auth:passkeyErrors.notAdded',
  'auth:passkeyErrors.notVerifiedNothingChanged',
  'auth:passkeyErrors.notVerified',
  'auth:passkeyErrors.userNotVerified',
  'auth:passkeyErrors.otherAccount',
  'auth:passkeyErrors.replayed',
  'auth:passkeyErrors.tooMany',
  'auth:passkeyErrors.unknownPasskey',
  'auth:passkeyErrors.wrongOrigin',
  'auth:passkeyErrors.wrongSite',
] as const;

export function passkeyFailureText(t: Translate, message: string): string {
  return translateKnown(t, message, PASSKEY_FAILURE_KEYS);
}
