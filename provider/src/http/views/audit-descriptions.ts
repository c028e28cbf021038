// The audit log in sentences, in the reader's language: "alice changed their password", "root
// reset two-factor sign-in for bob". Each sentence names its actor ({{actor}}) so a language can
// put it where its word order wants. Unknown actions (added later) fall back to the raw action
// name; the JSON detail is always available on the page behind a disclosure.
import type { AuditDoc } from '../../db/schema';
import type { Translate } from '../../kernel/i18n/translator';

// A type (not an interface) so that it passes as i18next's interpolation values.
type Subject = {
  actor: string;
  /** The target without its `client:`/`user:`/`scim:`/`team:` prefix. */
  target: string;
  /** The target as recorded (people.import names the file). */
  raw: string;
};
type Describe = (t: Translate, s: Subject, detail: Record<string, unknown>) => string;

/** `client:<id>` → the id; a plain target is shown as it is. */
const obj = (target: string) => target.replace(/^(client|user|scim|team):/, '');
const clientName = (target: string, d: Record<string, unknown>) => (typeof d.clientName === 'string' ? `${d.clientName} (${obj(target)})` : obj(target));
const count = (v: unknown) => Number(v) || 0;
const name = (d: Record<string, unknown>) => (typeof d.name === 'string' ? d.name : undefined);

export const AUDIT_EVENTS: Record<string, { label: (t: Translate) => string; describe: Describe }> = {
  'client.create': { label: (t) => t('admin-audit:labels.clientCreate'), describe: (t, s) => t('admin-audit:sentences.clientCreate', s) },
  'client.register': { label: (t) => t('admin-audit:labels.clientRegister'), describe: (t, s) => t('admin-audit:sentences.clientRegister', s) },
  'client.update': {
    label: (t) => t('admin-audit:labels.clientUpdate'),
    describe: (t, s, d) => (Object.keys(d).length ? t('admin-audit:sentences.clientUpdateFields', { ...s, fields: Object.keys(d).join(', ') }) : t('admin-audit:sentences.clientUpdate', s)),
  },
  'client.edit': { label: (t) => t('admin-audit:labels.clientUpdate'), describe: (t, s) => t('admin-audit:sentences.clientEdit', s) },
  'client.rotate_secret': { label: (t) => t('admin-audit:labels.clientRotateSecret'), describe: (t, s) => t('admin-audit:sentences.clientRotateSecret', s) },
  'client.delete': { label: (t) => t('admin-audit:labels.clientDelete'), describe: (t, s) => t('admin-audit:sentences.clientDelete', s) },
  'connection.revoke': { label: (t) => t('admin-audit:labels.connectionRevoke'), describe: (t, s, d) => t('admin-audit:sentences.connectionRevoke', { ...s, client: clientName(s.raw, d) }) },
  'keys.rotate': { label: (t) => t('admin-audit:labels.keysRotate'), describe: (t, s) => t('admin-audit:sentences.keysRotate', s) },
  migrate: { label: (t) => t('admin-audit:labels.migrate'), describe: (t, s) => t('admin-audit:sentences.migrate', s) },
  'registration.create_token': { label: (t) => t('admin-audit:labels.registrationToken'), describe: (t, s) => t('admin-audit:sentences.registrationToken', s) },
  'tokens.clear': { label: (t) => t('admin-audit:labels.tokensClear'), describe: (t, s) => t('admin-audit:sentences.tokensClear', s) },
  'tokens.revoke_client': { label: (t) => t('admin-audit:labels.tokensRevokeClient'), describe: (t, s) => t('admin-audit:sentences.tokensRevokeClient', s) },
  'tokens.revoke_user': { label: (t) => t('admin-audit:labels.tokensRevokeUser'), describe: (t, s) => t('admin-audit:sentences.tokensRevokeUser', s) },
  'user.create': { label: (t) => t('admin-audit:labels.userCreate'), describe: (t, s) => t('admin-audit:sentences.userCreate', s) },
  'people.import': {
    label: (t) => t('admin-audit:labels.peopleImport'),
    describe: (t, s, d) => t('admin-audit:sentences.peopleImport', { ...s, file: s.raw, created: count(d.created), updated: count(d.updated), left: count(d.left) }),
  },
  'people.export': { label: (t) => t('admin-audit:labels.peopleExport'), describe: (t, s, d) => t('admin-audit:sentences.peopleExport', { ...s, count: count(d.count) }) },
  'scim.connection_create': { label: (t) => t('admin-audit:labels.scimCreate'), describe: (t, s) => t('admin-audit:sentences.scimCreate', s) },
  'scim.connection_revoke': { label: (t) => t('admin-audit:labels.scimRevoke'), describe: (t, s) => t('admin-audit:sentences.scimRevoke', s) },
  'scim.user_delete': { label: (t) => t('admin-audit:labels.scimUserDelete'), describe: (t, s) => t('admin-audit:sentences.scimUserDelete', s) },
  'scim.group_create': { label: (t) => t('admin-audit:labels.scimGroupCreate'), describe: (t, s) => t('admin-audit:sentences.scimGroupCreate', s) },
  'scim.group_update': { label: (t) => t('admin-audit:labels.scimGroupUpdate'), describe: (t, s) => t('admin-audit:sentences.scimGroupUpdate', s) },
  'scim.group_delete': { label: (t) => t('admin-audit:labels.scimGroupDelete'), describe: (t, s) => t('admin-audit:sentences.scimGroupDelete', s) },
  'directory.sync': {
    label: (t) => t('admin-audit:labels.directorySync'),
    describe: (t, s, d) => t('admin-audit:sentences.directorySync', { ...s, created: count(d.created), updated: count(d.updated), left: count(d.left) }),
  },
  'user.update': { label: (t) => t('admin-audit:labels.userUpdate'), describe: (t, s) => t('admin-audit:sentences.userUpdate', s) },
  'user.edit': { label: (t) => t('admin-audit:labels.userUpdate'), describe: (t, s) => t('admin-audit:sentences.userUpdate', s) },
  'user.reset_password': { label: (t) => t('admin-audit:labels.userResetPassword'), describe: (t, s) => t('admin-audit:sentences.userResetPassword', s) },
  'user.set_password': { label: (t) => t('admin-audit:labels.userResetPassword'), describe: (t, s) => t('admin-audit:sentences.userResetPassword', s) },
  'user.deactivate': { label: (t) => t('admin-audit:labels.userDeactivate'), describe: (t, s) => t('admin-audit:sentences.userDeactivate', s) },
  'user.activate': { label: (t) => t('admin-audit:labels.userActivate'), describe: (t, s) => t('admin-audit:sentences.userActivate', s) },
  'user.reactivate': { label: (t) => t('admin-audit:labels.userActivate'), describe: (t, s) => t('admin-audit:sentences.userActivate', s) },
  'password.change': {
    label: (t) => t('admin-audit:labels.passwordChange'),
    describe: (t, s, d) => (count(d.otherSessionsEnded) || count(d.tokensRevoked) ? t('admin-audit:sentences.passwordChangeEverywhere', s) : t('admin-audit:sentences.passwordChange', s)),
  },
  'two_factor.enable': { label: (t) => t('admin-audit:labels.twoFactorEnable'), describe: (t, s) => t('admin-audit:sentences.twoFactorEnable', s) },
  'two_factor.disable': { label: (t) => t('admin-audit:labels.twoFactorDisable'), describe: (t, s) => t('admin-audit:sentences.twoFactorDisable', s) },
  'two_factor.recovery_codes': { label: (t) => t('admin-audit:labels.recoveryCodes'), describe: (t, s) => t('admin-audit:sentences.recoveryCodes', s) },
  'two_factor.recovery_code_used': {
    label: (t) => t('admin-audit:labels.recoveryCodeUsed'),
    describe: (t, s, d) => t('admin-audit:sentences.recoveryCodeUsed', { ...s, left: count(d.recoveryCodesLeft) }),
  },
  'two_factor.reset': {
    label: (t) => t('admin-audit:labels.twoFactorReset'),
    describe: (t, s, d) => (count(d.passkeysRemoved) ? t('admin-audit:sentences.twoFactorResetPasskeys', { ...s, count: count(d.passkeysRemoved) }) : t('admin-audit:sentences.twoFactorReset', s)),
  },
  'passkey.add': { label: (t) => t('admin-audit:labels.passkeyAdd'), describe: (t, s, d) => (name(d) ? t('admin-audit:sentences.passkeyAddNamed', { ...s, name: name(d) }) : t('admin-audit:sentences.passkeyAdd', s)) },
  'passkey.remove': { label: (t) => t('admin-audit:labels.passkeyRemove'), describe: (t, s, d) => (name(d) ? t('admin-audit:sentences.passkeyRemoveNamed', { ...s, name: name(d) }) : t('admin-audit:sentences.passkeyRemove', s)) },
  'passkey.clone_suspected': {
    label: (t) => t('admin-audit:labels.passkeyClone'),
    describe: (t, s, d) => (name(d) ? t('admin-audit:sentences.passkeyCloneNamed', { ...s, name: name(d) }) : t('admin-audit:sentences.passkeyClone', s)),
  },
  'user.invite': { label: (t) => t('admin-audit:labels.userInvite'), describe: (t, s) => t('admin-audit:sentences.userInvite', s) },
  'user.invitation_accepted': { label: (t) => t('admin-audit:labels.invitationAccepted'), describe: (t, s) => t('admin-audit:sentences.invitationAccepted', s) },
  'user.employment': { label: (t) => t('admin-audit:labels.userEmployment'), describe: (t, s) => t('admin-audit:sentences.userEmployment', s) },
  'user.left': { label: (t) => t('admin-audit:labels.userLeft'), describe: (t, s) => t('admin-audit:sentences.userLeft', s) },
  'user.rehire': { label: (t) => t('admin-audit:labels.userRehire'), describe: (t, s) => t('admin-audit:sentences.userRehire', s) },
  'password.reset': { label: (t) => t('admin-audit:labels.passwordResetByMail'), describe: (t, s) => t('admin-audit:sentences.passwordResetByMail', s) },
  'two_factor.locked': { label: (t) => t('admin-audit:labels.twoFactorLocked'), describe: (t, s) => t('admin-audit:sentences.twoFactorLocked', s) },
  backup: { label: (t) => t('admin-audit:labels.backup'), describe: (t, s) => t('admin-audit:sentences.backup', s) },
  restore: { label: (t) => t('admin-audit:labels.restore'), describe: (t, s) => t('admin-audit:sentences.restore', s) },
  'session.end': { label: (t) => t('admin-audit:labels.sessionEnd'), describe: (t, s) => t('admin-audit:sentences.sessionEnd', s) },
  'session.end_others': { label: (t) => t('admin-audit:labels.sessionEndOthers'), describe: (t, s, d) => t('admin-audit:sentences.sessionEndOthers', { ...s, n: count(d.sessionsEnded) }) },
};

export function describeAudit(t: Translate, e: Pick<AuditDoc, 'actor' | 'action' | 'target' | 'detail'>): string {
  const known = AUDIT_EVENTS[e.action];
  return known ? known.describe(t, { actor: e.actor, target: obj(e.target), raw: e.target }, e.detail ?? {}) : `${e.actor} ${e.action} ${e.target}`;
}

export function auditLabel(t: Translate, action: string): string {
  return AUDIT_EVENTS[action]?.label(t) ?? action;
}

/** The event filter's choices, sorted in the reader's language. */
export function auditEventChoices(t: Translate, lang: string): { value: string; label: string }[] {
  return Object.entries(AUDIT_EVENTS)
    .map(([value, e]) => ({ value, label: e.label(t) }))
    .sort((a, b) => a.label.localeCompare(b.label, lang));
}
