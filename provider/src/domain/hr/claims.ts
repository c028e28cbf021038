// The HR claims (scope `hrm`): one function builds them for userinfo, the app's status endpoint
// and the directory, so every surface names and shapes them alike (docs/hr-lifecycle.md).
import type { Config } from '../../kernel/config';
import type { UserDoc } from '../../db/schema';
import { userGroups } from './groups';
import { mappedRoles, roleMap } from './role-map';
import { effectiveStatus, isoDate } from './status';

export const HRM_SCOPE = 'hrm';

export interface HrClaims {
  picture?: string;
  manager?: { username: string; name: string };
  employee_number?: string;
  employment_status: string;
  leave_until?: string;
  left_at?: string;
  department?: string;
  job_title?: string;
  groups: string[];
  roles: string[];
}

export type ManagerLookup = (username: string) => Promise<Pick<UserDoc, 'username' | 'name'> | null>;

/** A stored picture URL made absolute: paths are on this provider. */
export function absolutePicture(pictureUrl: string | undefined, issuer: string): string | undefined {
  if (!pictureUrl) return undefined;
  return pictureUrl.startsWith('/') ? `${issuer}${pictureUrl}` : pictureUrl;
}

export async function hrClaims(u: UserDoc, config: Pick<Config, 'issuer' | 'HR_ROLE_MAP'>, managerOf: ManagerLookup, now = new Date()): Promise<HrClaims> {
  const manager = u.manager ? await managerOf(u.manager) : null;
  const claims: HrClaims = {
    picture: absolutePicture(u.pictureUrl, config.issuer),
    // A manager account that was deleted is still named by its username.
    manager: u.manager ? { username: u.manager, name: manager?.name ?? u.manager } : undefined,
    employee_number: u.employeeNumber || undefined,
    employment_status: effectiveStatus(u, now),
    leave_until: u.employmentStatus === 'on_leave' ? isoDate(u.leaveUntil) : undefined,
    left_at: u.employmentStatus === 'left' ? isoDate(u.leftAt) : undefined,
    department: u.department || undefined,
    job_title: u.jobTitle || undefined,
    groups: userGroups(u),
    roles: mappedRoles(u.hrRoles, roleMap(config)),
  };
  return Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined)) as unknown as HrClaims;
}
