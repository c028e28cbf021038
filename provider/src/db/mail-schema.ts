// Stored documents of mail, one-time account links and two-factor locks (store/mail-outbox.ts,
// store/account-links.ts, store/two-factor-lockouts.ts). Link tokens are stored only as digests.

export type MailKind =
  | 'invitation'
  | 'password_reset'
  | 'notice_password_changed'
  | 'notice_two_factor_enabled'
  | 'notice_two_factor_disabled'
  | 'notice_recovery_code_used'
  | 'notice_two_factor_locked'
  | 'test';

export interface OutgoingMail {
  /** Display name and address, already checked by domain/mail/address.ts. */
  to: { name?: string; address: string };
  subject: string;
  text: string;
  html: string;
  kind: MailKind;
  /** The account the mail is about. */
  userId?: string;
}

export interface MailDoc extends OutgoingMail {
  _id: string;
  state: 'queued' | 'sent' | 'failed';
  /** Attempts made so far. */
  attempts: number;
  /** Not before this time (backoff after a failure; the lease end while an attempt runs). */
  nextAttemptAt: Date;
  /** Last SMTP error, without credentials. */
  lastError?: string;
  createdAt: Date;
  sentAt?: Date;
  /** Sent and given-up mails are kept this long, then swept (TTL index / due lists). */
  expiresAt?: Date;
}

/** One worker's ownership of one attempt: `<mail id>|<attempt>`. */
export interface MailClaimDoc {
  _id: string;
  expiresAt: Date;
}

export type LinkPurpose = 'invitation' | 'password_reset';

export interface AccountLinkDoc {
  /** digest(token) */
  _id: string;
  userId: string;
  purpose: LinkPurpose;
  /** digest of the account's password hash when the link was made ('' when it had none). */
  passwordStamp: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface TwoFactorLockoutDoc {
  _id: string; // user id
  strikes: number;
  lockedUntil: Date;
  /** When the strikes are forgotten (a day after the lock ends). */
  expiresAt: Date;
}

/** One strike per account and rate-limit window: `<user id>|<window>`. */
export interface TwoFactorStrikeDoc {
  _id: string;
  expiresAt: Date;
}
