// The audit log in sentences: "alice changed their password", "root reset two-factor sign-in
// for bob". Unknown actions (added later) fall back to the raw action name; the JSON detail is
// always available on the page behind a disclosure.
import type { AuditDoc } from '../../db/schema';

type Describe = (target: string, detail: Record<string, unknown>) => string;

/** `client:<id>` → the id; a plain target is shown as it is. */
const obj = (target: string) => target.replace(/^(client|user):/, '');
const clientName = (target: string, d: Record<string, unknown>) => (typeof d.clientName === 'string' ? `${d.clientName} (${obj(target)})` : obj(target));

export const AUDIT_EVENTS: Record<string, { label: string; describe: Describe }> = {
  'client.create': { label: 'Client created', describe: (t) => `created the client ${obj(t)}` },
  'client.register': { label: 'Client registered (dynamic registration)', describe: (t) => `registered the client ${obj(t)}` },
  'client.update': { label: 'Client changed', describe: (t, d) => `changed ${Object.keys(d).length ? Object.keys(d).join(', ') : 'settings'} of the client ${obj(t)}` },
  'client.edit': { label: 'Client changed', describe: (t) => `changed the client ${obj(t)}` },
  'client.rotate_secret': { label: 'Client secret rotated', describe: (t) => `rotated the secret of the client ${obj(t)}` },
  'client.delete': { label: 'Client deleted', describe: (t) => `deleted the client ${obj(t)}` },
  'connection.revoke': { label: 'Connected app revoked', describe: (t, d) => `revoked the access of ${clientName(t, d)} to their account` },
  'keys.rotate': { label: 'Signing key rotated', describe: () => 'rotated the ID-token signing key' },
  migrate: { label: 'Database migrated', describe: () => 'migrated the database' },
  'registration.create_token': { label: 'Registration token created', describe: () => 'created an initial access token for client registration' },
  'tokens.clear': { label: 'Expired tokens cleared', describe: () => 'cleared expired tokens' },
  'tokens.revoke_client': { label: 'Client tokens revoked', describe: (t) => `revoked every token of the client ${obj(t)}` },
  'tokens.revoke_user': { label: 'User tokens revoked', describe: (t) => `revoked every token of ${obj(t)}` },
  'user.create': { label: 'User created', describe: (t) => `created the user ${obj(t)}` },
  'user.update': { label: 'User changed', describe: (t) => `changed the profile of ${obj(t)}` },
  'user.edit': { label: 'User changed', describe: (t) => `changed the profile of ${obj(t)}` },
  'user.reset_password': { label: 'Password reset by an admin', describe: (t) => `set a new password for ${obj(t)}` },
  'user.set_password': { label: 'Password reset by an admin', describe: (t) => `set a new password for ${obj(t)}` },
  'user.deactivate': { label: 'User deactivated', describe: (t) => `deactivated ${obj(t)}` },
  'user.activate': { label: 'User reactivated', describe: (t) => `reactivated ${obj(t)}` },
  'user.reactivate': { label: 'User reactivated', describe: (t) => `reactivated ${obj(t)}` },
  'password.change': { label: 'Own password changed', describe: (_t, d) => `changed their password${Number(d.otherSessionsEnded) || Number(d.tokensRevoked) ? ' and signed out everywhere else' : ''}` },
  'two_factor.enable': { label: 'Two-factor turned on', describe: () => 'turned on two-factor sign-in' },
  'two_factor.disable': { label: 'Two-factor turned off', describe: () => 'turned off two-factor sign-in' },
  'two_factor.recovery_codes': { label: 'New recovery codes', describe: () => 'made new recovery codes' },
  'two_factor.recovery_code_used': { label: 'Recovery code used', describe: (_t, d) => `signed in with a recovery code (${Number(d.recoveryCodesLeft)} left)` },
  'two_factor.reset': { label: 'Two-factor reset by an admin', describe: (t) => `reset two-factor sign-in for ${obj(t)}` },
  'session.end': { label: 'Session signed out', describe: () => 'signed out one of their other sessions' },
  'session.end_others': { label: 'Other sessions signed out', describe: (_t, d) => `signed out all their other sessions (${Number(d.sessionsEnded) || 0})` },
};

export function describeAudit(e: Pick<AuditDoc, 'actor' | 'action' | 'target' | 'detail'>): string {
  const known = AUDIT_EVENTS[e.action];
  const text = known ? known.describe(e.target, e.detail ?? {}) : `${e.action} ${e.target}`;
  return `${e.actor} ${text}`;
}

export function auditLabel(action: string): string {
  return AUDIT_EVENTS[action]?.label ?? action;
}
