/**
 * The HR lifecycle settings (docs/hr-lifecycle.md): the offboarding job, profile sync and the
 * department → channel mapping. Pure parsing here; HrmSsoApp provides the definitions.
 */
import { SettingSource } from '../../core/context';
import { ISetting, SettingType } from '@rocket.chat/apps-engine/definition/settings';

export const HrSettingId = {
    JobIntervalMinutes: 'hrm-offboarding-interval-minutes',
    DeactivateLeavers: 'hrm-offboarding-deactivate',
    DryRun: 'hrm-offboarding-dry-run',
    ReportRoom: 'hrm-offboarding-report-room',
    ProfileSync: 'hrm-profile-sync',
    DepartmentChannels: 'hrm-department-channels',
    SliceSeconds: 'hrm-offboarding-slice-seconds',
    BatchSize: 'hrm-offboarding-batch-size',
} as const;

export const HR_DEFAULTS = {
    jobIntervalMinutes: 60,
    deactivateLeavers: false,
    dryRun: false,
    reportRoom: '',
    profileSync: true,
    departmentChannels: '{}',
    /** Each job invocation stops starting new work after this many seconds (Rocket.Chat cancels a call at 30). */
    sliceSeconds: 15,
    /** Users per status request (the provider's default HRM_STATUS_BATCH_MAX). */
    batchSize: 100,
} as const;

export const SLICE_SECONDS_MAX = 25;
export const BATCH_SIZE_MAX = 100;

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
    setting(HrSettingId.SliceSeconds, SettingType.NUMBER, HR_DEFAULTS.sliceSeconds),
    setting(HrSettingId.BatchSize, SettingType.NUMBER, HR_DEFAULTS.batchSize),
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
    /** Seconds of work per job invocation (1–25). */
    readonly sliceSeconds: number;
    /** Users per status request (1–100). */
    readonly batchSize: number;
    /** Settings whose value has the wrong type or range, one sentence each (the default was used). */
    readonly problems: string[];
}

function bool(value: unknown, fallback: boolean): boolean {
    return typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : fallback;
}

function isBoolLike(value: unknown): boolean {
    return value === undefined || value === null || typeof value === 'boolean' || value === 'true' || value === 'false';
}

/** A whole number in [min, max], or undefined. */
export function wholeNumber(value: unknown, min: number, max: number): number | undefined {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

function shown(value: unknown): string {
    const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value);
    return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Whole minutes between 5 and one week; anything else falls back to the default. */
export function parseInterval(value: unknown): number {
    const n = typeof value === 'string' ? Number(value) : value;
    return typeof n === 'number' && Number.isInteger(n) && n >= 5 && n <= 7 * 24 * 60 ? n : HR_DEFAULTS.jobIntervalMinutes;
}

/** `{"engineering": ["dev", "#eng-news"], "sales": "sales"}` → slug → channel names (no '#'). */
export function parseChannelMapping(value: unknown): { mapping: Record<string, string[]>; error?: string } {
    if (value !== undefined && value !== null && typeof value !== 'string') {
        return { mapping: {}, error: 'the department → channel mapping must be JSON text such as {"engineering": ["dev"]}' };
    }
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

export async function readHrSettings(settings: SettingSource): Promise<HrSettings> {
    const get = async (id: string): Promise<unknown> => {
        try {
            return await settings.getValueById(id);
        } catch {
            return undefined;
        }
    };
    const ids = [
        HrSettingId.JobIntervalMinutes, HrSettingId.DeactivateLeavers, HrSettingId.DryRun, HrSettingId.ReportRoom,
        HrSettingId.ProfileSync, HrSettingId.DepartmentChannels, HrSettingId.SliceSeconds, HrSettingId.BatchSize,
    ];
    const [interval, deactivate, dryRun, room, profileSync, channels, slice, batch] = await Promise.all(ids.map(get));
    const { mapping, error } = parseChannelMapping(channels);
    // A value of the wrong type (an API write, an import) is named once in the run's summary; the default is used.
    const problems: string[] = [];
    const number = (id: string, value: unknown, min: number, max: number, fallback: number): number => {
        if (value === undefined || value === null || value === '') {
            return fallback;
        }
        const n = wholeNumber(value, min, max);
        if (n === undefined) {
            problems.push(`The setting ${id} holds ${shown(value)}, not a whole number from ${min} to ${max}: using ${fallback}.`);
            return fallback;
        }
        return n;
    };
    const flag = (id: string, value: unknown, fallback: boolean): boolean => {
        if (!isBoolLike(value)) {
            problems.push(`The setting ${id} holds ${shown(value)}, not true or false: using ${fallback}.`);
        }
        return bool(value, fallback);
    };
    if (room !== undefined && room !== null && typeof room !== 'string') {
        problems.push(`The setting ${HrSettingId.ReportRoom} holds ${shown(room)}, not a room name: the summary goes to the app log only.`);
    }
    return {
        jobIntervalMinutes: number(HrSettingId.JobIntervalMinutes, interval, 5, 7 * 24 * 60, HR_DEFAULTS.jobIntervalMinutes),
        deactivateLeavers: flag(HrSettingId.DeactivateLeavers, deactivate, HR_DEFAULTS.deactivateLeavers),
        dryRun: flag(HrSettingId.DryRun, dryRun, HR_DEFAULTS.dryRun),
        reportRoom: typeof room === 'string' ? room.trim().replace(/^#/, '') : '',
        profileSync: flag(HrSettingId.ProfileSync, profileSync, HR_DEFAULTS.profileSync),
        departmentChannels: mapping,
        ...(error ? { mappingError: error } : {}),
        sliceSeconds: number(HrSettingId.SliceSeconds, slice, 1, SLICE_SECONDS_MAX, HR_DEFAULTS.sliceSeconds),
        batchSize: number(HrSettingId.BatchSize, batch, 1, BATCH_SIZE_MAX, HR_DEFAULTS.batchSize),
        problems,
    };
}
