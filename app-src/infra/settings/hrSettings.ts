/**
 * The HR lifecycle settings (docs/hr-lifecycle.md): the offboarding job, profile sync and the
 * department → channel mapping. Pure parsing here; HrmSsoApp provides the definitions.
 */
import { ISettingRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ISetting, SettingType } from '@rocket.chat/apps-engine/definition/settings';

export const HrSettingId = {
    JobIntervalMinutes: 'hrm-offboarding-interval-minutes',
    DeactivateLeavers: 'hrm-offboarding-deactivate',
    DryRun: 'hrm-offboarding-dry-run',
    ReportRoom: 'hrm-offboarding-report-room',
    ProfileSync: 'hrm-profile-sync',
    DepartmentChannels: 'hrm-department-channels',
} as const;

export const HR_DEFAULTS = {
    jobIntervalMinutes: 60,
    deactivateLeavers: false,
    dryRun: false,
    reportRoom: '',
    profileSync: true,
    departmentChannels: '{}',
} as const;

function setting(id: string, type: SettingType, packageValue: unknown): ISetting {
    return { id, type, packageValue, required: false, public: false, i18nLabel: `${id}-label`, i18nDescription: `${id}-description` };
}

export const HR_SETTINGS: ISetting[] = [
    setting(HrSettingId.JobIntervalMinutes, SettingType.NUMBER, HR_DEFAULTS.jobIntervalMinutes),
    setting(HrSettingId.DeactivateLeavers, SettingType.BOOLEAN, HR_DEFAULTS.deactivateLeavers),
    setting(HrSettingId.DryRun, SettingType.BOOLEAN, HR_DEFAULTS.dryRun),
    setting(HrSettingId.ReportRoom, SettingType.STRING, HR_DEFAULTS.reportRoom),
    setting(HrSettingId.ProfileSync, SettingType.BOOLEAN, HR_DEFAULTS.profileSync),
    { ...setting(HrSettingId.DepartmentChannels, SettingType.CODE, HR_DEFAULTS.departmentChannels), multiline: true },
];

export interface HrSettings {
    readonly jobIntervalMinutes: number;
    readonly deactivateLeavers: boolean;
    readonly dryRun: boolean;
    /** Room name without '#', or '' for the app log only. */
    readonly reportRoom: string;
    readonly profileSync: boolean;
    /** Slug → channel names; `mappingError` says why the setting could not be used. */
    readonly departmentChannels: Record<string, string[]>;
    readonly mappingError?: string;
}

function bool(value: unknown, fallback: boolean): boolean {
    return typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : fallback;
}

/** Whole minutes between 5 and one week; anything else falls back to the default. */
export function parseInterval(value: unknown): number {
    const n = typeof value === 'string' ? Number(value) : value;
    return typeof n === 'number' && Number.isInteger(n) && n >= 5 && n <= 7 * 24 * 60 ? n : HR_DEFAULTS.jobIntervalMinutes;
}

/** `{"engineering": ["dev", "#eng-news"], "sales": "sales"}` → slug → channel names (no '#'). */
export function parseChannelMapping(value: unknown): { mapping: Record<string, string[]>; error?: string } {
    const text = typeof value === 'string' && value.trim() ? value : '{}';
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        return { mapping: {}, error: 'the department → channel mapping is not valid JSON' };
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return { mapping: {}, error: 'the department → channel mapping must be a JSON object such as {"engineering": ["dev"]}' };
    }
    const mapping: Record<string, string[]> = {};
    const bad: string[] = [];
    for (const [slug, channels] of Object.entries(parsed as Record<string, unknown>)) {
        const list = typeof channels === 'string' ? [channels] : channels;
        if (!Array.isArray(list) || !list.every((c) => typeof c === 'string' && c.trim().replace(/^#/, '').length > 0)) {
            bad.push(slug);
            continue;
        }
        mapping[slug.trim().toLowerCase()] = [...new Set(list.map((c: string) => c.trim().replace(/^#/, '')))];
    }
    return bad.length ? { mapping, error: `the mapping for ${bad.map((b) => `"${b}"`).join(', ')} must be a channel name or a list of them` } : { mapping };
}

export async function readHrSettings(settings: ISettingRead): Promise<HrSettings> {
    const get = async (id: string): Promise<unknown> => {
        try {
            return await settings.getValueById(id);
        } catch {
            return undefined;
        }
    };
    const [interval, deactivate, dryRun, room, profileSync, channels] = await Promise.all(
        [HrSettingId.JobIntervalMinutes, HrSettingId.DeactivateLeavers, HrSettingId.DryRun, HrSettingId.ReportRoom, HrSettingId.ProfileSync, HrSettingId.DepartmentChannels].map(get),
    );
    const { mapping, error } = parseChannelMapping(channels);
    return {
        jobIntervalMinutes: parseInterval(interval),
        deactivateLeavers: bool(deactivate, HR_DEFAULTS.deactivateLeavers),
        dryRun: bool(dryRun, HR_DEFAULTS.dryRun),
        reportRoom: typeof room === 'string' ? room.trim().replace(/^#/, '') : '',
        profileSync: bool(profileSync, HR_DEFAULTS.profileSync),
        departmentChannels: mapping,
        ...(error ? { mappingError: error } : {}),
    };
}
