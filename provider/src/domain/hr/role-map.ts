// HR_ROLE_MAP: which HR roles become which Rocket.Chat role names in the `roles` claim.
import type { Config } from '../../kernel/config';

/** The parsed map; config.ts has already refused anything that is not a JSON object of strings. */
export function roleMap(config: Pick<Config, 'HR_ROLE_MAP'>): Record<string, string> {
  return JSON.parse(config.HR_ROLE_MAP) as Record<string, string>;
}

/** Rocket.Chat role names for the user's HR roles; unmapped HR roles are not released. */
export function mappedRoles(hrRoles: readonly string[] | undefined, map: Record<string, string>): string[] {
  return [...new Set((hrRoles ?? []).map((r) => map[r]).filter((r): r is string => typeof r === 'string'))];
}
