// Passkey ceremonies (WebAuthn, via @simplewebauthn/server): registration options and
// verification, sign-in options and verification. The relying party is ISSUER: its host name is
// the RP ID and its origin the only accepted origin, read at each call (tests and restarts may
// change the issuer). Every failure is a value with a code and a sentence for the person.
import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportFuture,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Config } from '../../kernel/config';
import type { UserDoc } from '../../db/schema';
import { digest } from '../../kernel/security/tokens';
import { MAX_PASSKEYS_PER_USER, type PasskeyDoc, type PasskeyStore } from '../../store/passkeys';
import type { TokenStore } from '../../store/tokens';
import type { TakenChallenge } from './challenge';

// Loaded at the first ceremony, not at start: the library and its ASN.1 stack take ~0.3 s to
// load, which every CLI command and every provider start would otherwise pay.
let webauthnLibrary: Promise<typeof import('@simplewebauthn/server')> | undefined;
const webauthn = () => (webauthnLibrary ??= import('@simplewebauthn/server'));

/** `passkey`: the stored passkey the answer named, when known (for the audit of a suspected clone). */
export type PasskeyFailure = { ok: false; reason: PasskeyFailureReason; message: string; status: number; passkey?: PasskeyDoc };
export type PasskeyFailureReason =
  | 'no_challenge'
  | 'expired_challenge'
  | 'replayed'
  | 'malformed'
  | 'wrong_origin'
  | 'not_verified'
  | 'unknown_passkey'
  | 'other_account'
  | 'cloned'
  | 'already_registered'
  | 'too_many';

export const NAME_MAX = 60;

/** How the passkey counts in `amr` (domain/oidc/amr.ts passkeyAmr). */
export function passkeyKind(p: Pick<PasskeyDoc, 'deviceType'>): 'hwk' | 'swk' {
  return p.deviceType === 'singleDevice' ? 'hwk' : 'swk';
}

/** A name for the list: trimmed, control characters out, bounded; a default when empty. */
export function cleanPasskeyName(raw: unknown, fallbackNumber: number): string {
  const s = typeof raw === 'string' ? raw.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, NAME_MAX) : '';
  return s || `Passkey ${fallbackNumber}`;
}

export class PasskeyService {
  constructor(private readonly deps: { config: Config; store: PasskeyStore; tokens: TokenStore }) {}

  get store(): PasskeyStore {
    return this.deps.store;
  }

  /** RP ID (ISSUER's host name), the accepted origin and the name shown by the authenticator. */
  relyingParty(): { rpID: string; origin: string; rpName: string } {
    const url = new URL(this.deps.config.issuer);
    const c = this.deps.config;
    return { rpID: url.hostname, origin: url.origin, rpName: c.ORGANIZATION_NAME === 'Your organisation' ? c.PRODUCT_NAME : c.ORGANIZATION_NAME };
  }

  private get timeoutMs(): number {
    return this.deps.config.PASSKEY_CHALLENGE_SECONDS * 1000;
  }

  async registrationOptions(user: UserDoc): Promise<PublicKeyCredentialCreationOptionsJSON | PasskeyFailure> {
    const existing = await this.deps.store.list(user._id);
    if (existing.length >= MAX_PASSKEYS_PER_USER) return fail('too_many', `You have ${MAX_PASSKEYS_PER_USER} passkeys, the most an account can have. Remove one you no longer use first.`, 409);
    const { rpID, rpName } = this.relyingParty();
    const { generateRegistrationOptions } = await webauthn();
    return generateRegistrationOptions({
      rpName,
      rpID,
      userName: user.username,
      userDisplayName: user.name || user.username,
      // The user handle is the account's stable id (the OIDC `sub`), never a name or an e-mail.
      userID: new TextEncoder().encode(user._id),
      timeout: this.timeoutMs,
      attestationType: 'none',
      // The authenticator refuses to make a second passkey for this account on itself.
      excludeCredentials: existing.map((p) => ({ id: p._id, transports: p.transports as AuthenticatorTransportFuture[] | undefined })),
      // Discoverable, so the same passkey also works for sign-in without a password where allowed.
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    });
  }

  /** Checks a registration answer against the taken challenge and saves the passkey. */
  async register(user: UserDoc, name: string, response: unknown, taken: TakenChallenge): Promise<{ ok: true; passkey: PasskeyDoc } | PasskeyFailure> {
    const claimed = await this.claim(taken);
    if (!claimed.ok) return claimed;
    if (!looksLikeCredential(response, 'attestationObject')) return malformed();
    const { rpID, origin } = this.relyingParty();
    let info;
    try {
      const { verifyRegistrationResponse } = await webauthn();
      const v = await verifyRegistrationResponse({ response: response as RegistrationResponseJSON, expectedChallenge: claimed.challenge, expectedOrigin: origin, expectedRPID: rpID, requireUserVerification: false });
      if (!v.verified) return fail('not_verified', 'The passkey could not be verified, so it was not added. Try again.', 400);
      info = v.registrationInfo;
    } catch (err) {
      return verificationFailure(err, origin);
    }
    if ((await this.deps.store.count(user._id)) >= MAX_PASSKEYS_PER_USER) return fail('too_many', `You have ${MAX_PASSKEYS_PER_USER} passkeys, the most an account can have. Remove one you no longer use first.`, 409);
    const passkey: PasskeyDoc = {
      _id: info.credential.id,
      userId: user._id,
      name,
      publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: info.credential.counter,
      ...(info.credential.transports?.length ? { transports: info.credential.transports } : {}),
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      createdAt: new Date(),
    };
    if (!(await this.deps.store.add(passkey))) return fail('already_registered', 'This passkey is already registered. Each passkey can be added once; use another authenticator or remove the old entry first.', 409);
    return { ok: true, passkey };
  }

  /** Sign-in options: for the pending account's passkeys (second step) or any discoverable one (passwordless). */
  async authenticationOptions(passkeys: PasskeyDoc[] | undefined): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const { generateAuthenticationOptions } = await webauthn();
    return generateAuthenticationOptions({
      rpID: this.relyingParty().rpID,
      timeout: this.timeoutMs,
      ...(passkeys ? { allowCredentials: passkeys.map((p) => ({ id: p._id, transports: p.transports as AuthenticatorTransportFuture[] | undefined })), userVerification: 'preferred' as const } : { userVerification: 'required' as const }),
    });
  }

  /**
   * Checks a sign-in answer. `expectedUserId` set: the second step of that account (the passkey
   * must be theirs). Unset: passwordless — the passkey names the account, and the authenticator
   * must have verified the person (PIN or biometrics).
   */
  async authenticate(response: unknown, taken: TakenChallenge, expectedUserId?: string): Promise<{ ok: true; passkey: PasskeyDoc; userId: string } | PasskeyFailure> {
    const claimed = await this.claim(taken);
    if (!claimed.ok) return claimed;
    if (!looksLikeCredential(response, 'authenticatorData')) return malformed();
    const answer = response as AuthenticationResponseJSON;
    const passkey = await this.deps.store.byCredentialId(answer.id);
    if (!passkey) return fail('unknown_passkey', 'This passkey is not registered here (it may have been removed). Use another passkey or sign in another way.', 401);
    if (expectedUserId && passkey.userId !== expectedUserId) return fail('other_account', 'This passkey is not registered for the account signing in. Use one of your own passkeys.', 401);
    // A discoverable credential also names its account (user handle): it must agree with ours.
    if (answer.response.userHandle && answer.response.userHandle !== Buffer.from(passkey.userId).toString('base64url')) {
      return fail('other_account', 'This passkey is not registered for the account signing in. Use one of your own passkeys.', 401);
    }
    const { rpID, origin } = this.relyingParty();
    let info;
    try {
      const { verifyAuthenticationResponse } = await webauthn();
      const v = await verifyAuthenticationResponse({
        response: answer,
        expectedChallenge: claimed.challenge,
        expectedOrigin: origin,
        expectedRPID: rpID,
        credential: { id: passkey._id, publicKey: Buffer.from(passkey.publicKey, 'base64url'), counter: passkey.counter, transports: passkey.transports as AuthenticatorTransportFuture[] | undefined },
        requireUserVerification: !expectedUserId,
      });
      if (!v.verified) return fail('not_verified', 'The passkey could not be verified. Try again.', 401);
      info = v.authenticationInfo;
    } catch (err) {
      return { ...verificationFailure(err, origin), passkey };
    }
    // Conditional on the counter we checked against: a concurrent use of the same answer loses.
    if (!(await this.deps.store.recordUse(passkey._id, passkey.counter, info.newCounter))) return fail('replayed', 'This passkey answer was already used. Try again.', 401);
    return { ok: true, passkey: { ...passkey, counter: info.newCounter }, userId: passkey.userId };
  }

  /** The challenge must come from the session, be valid, and be used for the first time anywhere. */
  private async claim(taken: TakenChallenge): Promise<{ ok: true; challenge: string } | PasskeyFailure> {
    if (!taken.ok) {
      return taken.reason === 'expired_challenge'
        ? fail('expired_challenge', 'The passkey request expired before the answer came. Try again.', 400)
        : fail('no_challenge', 'There is no passkey request waiting for this answer (it was already answered, or the page is out of date). Reload the page and try again.', 400);
    }
    const first = await this.deps.tokens.claimOnce(`passkey-challenge:${digest(taken.challenge)}`, new Date(Math.max(taken.expiresAt, Date.now()) + 60_000));
    return first ? { ok: true, challenge: taken.challenge } : fail('replayed', 'This passkey answer was already used. Try again.', 400);
  }
}

function fail(reason: PasskeyFailureReason, message: string, status: number): PasskeyFailure {
  return { ok: false, reason, message, status };
}

function malformed(): PasskeyFailure {
  return fail('malformed', 'The passkey answer is incomplete or malformed, so nothing was changed. Reload the page and try again.', 400);
}

/** The shape @simplewebauthn expects (it trusts its input's types). */
function looksLikeCredential(v: unknown, field: 'attestationObject' | 'authenticatorData'): boolean {
  if (!v || typeof v !== 'object') return false;
  const r = v as { id?: unknown; rawId?: unknown; type?: unknown; response?: Record<string, unknown> };
  const b64 = (s: unknown) => typeof s === 'string' && s.length > 0 && s.length < 16384 && /^[A-Za-z0-9_-]+={0,2}$/.test(s);
  if (!b64(r.id) || !b64(r.rawId) || r.type !== 'public-key' || !r.response || typeof r.response !== 'object') return false;
  if (!b64(r.response.clientDataJSON) || !b64(r.response[field])) return false;
  if (field === 'authenticatorData' && !b64(r.response.signature)) return false;
  if (r.response.userHandle !== undefined && r.response.userHandle !== null && !b64(r.response.userHandle)) return false;
  return true;
}

/** @simplewebauthn throws for every mismatch; say which kind in words. Never a 5xx. */
function verificationFailure(err: unknown, origin: string): PasskeyFailure {
  const m = err instanceof Error ? err.message : '';
  if (/origin/i.test(m)) return fail('wrong_origin', `This passkey answer was made for another site, not ${origin}, so it was refused and nothing was changed.`, 400);
  if (/RP ID/i.test(m)) return fail('wrong_origin', `This passkey belongs to another site, not ${origin}, so it was refused and nothing was changed.`, 400);
  if (/counter/i.test(m)) {
    return fail('cloned', 'This passkey’s signature counter went backwards, which is what a copied (cloned) authenticator does, so it was refused. Use another passkey or sign in another way, and tell your administrators.', 401);
  }
  if (/User verification/i.test(m)) return fail('not_verified', 'Your device did not confirm it is you (PIN, fingerprint or face), which signing in with a passkey alone needs. Try again and unlock the passkey when asked.', 401);
  if (/challenge/i.test(m)) return fail('no_challenge', 'This passkey answer was made for another request. Reload the page and try again.', 400);
  return fail('not_verified', 'The passkey could not be verified, so nothing was changed. Try again.', 400);
}
