// For Premium workspaces that log in through Custom OAuth: the group → channel map and the roles
// to sync, generated from the provider's departments, teams and HR_ROLE_MAP, shown on the
// Connect Rocket.Chat page (views/admin/_hr-sync.njk). Set as res.locals, which every render sees.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Config } from '../../../kernel/config';
import type { UserStore } from '../../../store/users';
import type { PageDeps } from '../../kit/pages';
import { slugify } from '../../../domain/hr/groups';
import { roleMap } from '../../../domain/hr/role-map';

export interface HrSyncValues {
  groupsChannelMap: string;
  rolesToSync: string;
  overwriteLines: string[];
}

/** Every department and team slug in use, each mapped to a channel of the same name (edit to taste). */
export async function hrSyncValues(users: UserStore, config: Config): Promise<HrSyncValues> {
  const { departments, teams } = await users.activeDepartmentsAndTeams();
  const slugs = [...new Set([...departments.map(slugify), ...teams])].filter(Boolean).sort();
  const groupsChannelMap = JSON.stringify(Object.fromEntries(slugs.map((s) => [s, s])), null, 2);
  const rolesToSync = [...new Set(Object.values(roleMap(config)))].sort().join(',');
  const p = 'OVERWRITE_SETTING_Accounts_OAuth_Custom-Hrm';
  return {
    groupsChannelMap,
    rolesToSync,
    overwriteLines: [
      `${p}-scope=read write hrm`,
      `${p}-groups_claim=groups`,
      `${p}-map_channels=true`,
      `${p}-groups_channel_map=${JSON.stringify(JSON.parse(groupsChannelMap))}`,
      `${p}-roles_claim=roles`,
      `${p}-merge_roles=${rolesToSync ? 'true' : 'false'}`,
      `${p}-roles_to_sync=${rolesToSync}`,
    ],
  };
}

export function connectSyncLocals(deps: PageDeps) {
  const router = Router();
  const { users, config } = deps.services;
  const load = async (_req: Request, res: Response, next: NextFunction) => {
    res.locals.hrSync = await hrSyncValues(users, config);
    next();
  };
  router.get('/clients/:id/connect', load);
  router.post(['/clients/', '/clients/:id/rotate-secret'], load);
  return router;
}

declare module 'express-serve-static-core' {
  interface Locals {
    hrSync?: HrSyncValues;
  }
}
