// `user edit` flags for the HR lifecycle: status, leave and leaving dates, manager, employee
// number, teams, picture and HR roles (docs/cli.md). The change itself is hr/employment.ts.
import type { Command } from 'commander';
import type { UserDoc } from '../db/schema';
import type { Services } from '../domain/services';
import { changeEmployment, type EmploymentInput } from '../domain/hr/employment';
import { userGroups } from '../domain/hr/groups';
import { effectiveStatus, isoDate } from '../domain/hr/status';

export const EMPLOYMENT_FLAGS: Record<keyof EmploymentInput, string> = {
  status: '--status',
  leaveUntil: '--leave-until',
  leftAt: '--left-at',
  manager: '--manager',
  employeeNumber: '--employee-number',
  teams: '--teams',
  pictureUrl: '--picture-url',
  hrRoles: '--hr-roles',
};

export function addEmploymentOptions(cmd: Command): Command {
  return cmd
    .option('--status <status>', 'employment status: active, on_leave or left (left deactivates the account and revokes everything at once)')
    .option('--leave-until <date>', 'end of the leave, YYYY-MM-DD (with --status on_leave)')
    .option('--left-at <date>', 'leaving date, YYYY-MM-DD (with --status left; default today)')
    .option('--manager <username>', 'username of their manager ("" clears it)')
    .option('--employee-number <number>', 'employee number ("" clears it)')
    .option('--teams <slugs>', 'team slugs, comma-separated ("" clears them)')
    .option('--picture-url <url>', 'photo: an https URL or a path on this provider ("" clears it)')
    .option('--hr-roles <roles>', 'HR roles, comma-separated, mapped to Rocket.Chat roles by HR_ROLE_MAP ("" clears them)');
}

/** Splits commander's options into the employment part and the rest. */
export function takeEmploymentOptions<T extends Record<string, unknown>>(opts: T): { employment: EmploymentInput; rest: Record<string, unknown> } {
  const employment: EmploymentInput = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts)) {
    if (v === undefined) continue;
    if (k in EMPLOYMENT_FLAGS) employment[k as keyof EmploymentInput] = String(v);
    else rest[k] = v;
  }
  return { employment, rest };
}

export async function applyEmploymentFromCli(services: Services, user: UserDoc, input: EmploymentInput): Promise<{ user: UserDoc; lines: string[] }> {
  const change = await changeEmployment(services.db, services.tokens, user, input);
  services.userCache.forget(user._id);
  const lines: string[] = [];
  if (change.accessEnded) {
    await services.audit.record('cli', 'user.left', change.user.username, { id: user._id, leftAt: isoDate(change.user.leftAt), tokensRevoked: change.accessEnded.tokensRevoked });
    lines.push(`${change.user.username} has left: the account is deactivated and ${change.accessEnded.tokensRevoked} access token${change.accessEnded.tokensRevoked === 1 ? ' was' : 's were'} revoked with every refresh token, code and consent.`);
  }
  if (change.rehired) {
    await services.audit.record('cli', 'user.rehire', change.user.username, { id: user._id });
    lines.push(`${change.user.username} is employed again and can sign in (their old tokens stay revoked).`);
  }
  await services.audit.record('cli', 'user.employment', change.user.username, { id: user._id, fields: change.fields, status: change.user.employmentStatus ?? 'active' });
  return { user: change.user, lines };
}

/** The employment part of `user … --json` output. */
export function employmentJson(u: UserDoc) {
  return {
    employment_status: effectiveStatus(u),
    leave_until: isoDate(u.leaveUntil) ?? null,
    left_at: isoDate(u.leftAt) ?? null,
    manager: u.manager ?? null,
    employee_number: u.employeeNumber ?? null,
    groups: userGroups(u),
    picture_url: u.pictureUrl ?? null,
    hr_roles: u.hrRoles ?? [],
  };
}
