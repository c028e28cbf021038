/** The app's own settings as shown in Administration → Apps → HRM SSO → Settings. */
import { ISetting, SettingType } from '@rocket.chat/apps-engine/definition/settings';
import { DEFAULTS, SettingId } from './ids';

function text(id: string, packageValue: string, required: boolean): ISetting {
    return {
        id,
        type: SettingType.STRING,
        packageValue,
        required,
        public: false,
        i18nLabel: `${id}-label`,
        i18nDescription: `${id}-description`,
    };
}

/** Shown before the engine's client id / secret settings. */
export const PROVIDER_URL_SETTING: ISetting = { ...text(SettingId.ProviderUrl, '', true), i18nPlaceholder: `${SettingId.ProviderUrl}-placeholder` };

/** Shown after the engine's client id / secret settings. */
export const ENDPOINT_SETTINGS: ISetting[] = [
    text(SettingId.AuthorizePath, DEFAULTS.authorizePath, false),
    text(SettingId.TokenPath, DEFAULTS.tokenPath, false),
    text(SettingId.RevokePath, DEFAULTS.revokePath, false),
    text(SettingId.UserinfoPath, DEFAULTS.userinfoPath, false),
    text(SettingId.Scopes, DEFAULTS.scopes, false),
    {
        id: SettingId.RequireIdentityMatch,
        type: SettingType.BOOLEAN,
        packageValue: DEFAULTS.requireIdentityMatch,
        required: false,
        public: false,
        i18nLabel: `${SettingId.RequireIdentityMatch}-label`,
        i18nDescription: `${SettingId.RequireIdentityMatch}-description`,
    },
    {
        id: SettingId.IdentityAdminApproval,
        type: SettingType.BOOLEAN,
        packageValue: DEFAULTS.identityAdminApproval,
        required: false,
        public: false,
        i18nLabel: `${SettingId.IdentityAdminApproval}-label`,
        i18nDescription: `${SettingId.IdentityAdminApproval}-description`,
    },
];
