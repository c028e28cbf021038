// Document type of a registered passkey (WebAuthn credential), collection `passkeys`.

export interface PasskeyDoc {
  _id: string; // the credential id (base64url), unique across all accounts
  userId: string;
  /** What the person called it ("YubiKey 5", "Phone"), shown in their list. */
  name: string;
  /** COSE public key, base64url. */
  publicKey: string;
  /** Signature counter last seen; a lower or equal one later means a cloned authenticator. */
  counter: number;
  transports?: string[];
  /** multiDevice: a synced passkey (backup eligible); singleDevice: bound to one authenticator. */
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  createdAt: Date;
  lastUsedAt?: Date;
}
