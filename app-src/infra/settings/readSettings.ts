/** Reads the raw setting values through the app's settings reader. */
import { SettingSource } from '../../core/context';
import { SettingId } from './ids';
import { RawSettings } from './providerConfig';

export async function readRawSettings(settings: SettingSource): Promise<RawSettings> {
    const get = async (id: string): Promise<unknown> => {
        try {
            return await settings.getValueById(id);
        } catch {
            return undefined;
        }
    };
    const [providerUrl, clientId, clientSecret, authorizePath, tokenPath, revokePath, userinfoPath, scopes, requireIdentityMatch, identityAdminApproval] = await Promise.all([
        get(SettingId.ProviderUrl),
        get(SettingId.ClientId),
        get(SettingId.ClientSecret),
        get(SettingId.AuthorizePath),
        get(SettingId.TokenPath),
        get(SettingId.RevokePath),
        get(SettingId.UserinfoPath),
        get(SettingId.Scopes),
        get(SettingId.RequireIdentityMatch),
        get(SettingId.IdentityAdminApproval),
    ]);
    return { providerUrl, clientId, clientSecret, authorizePath, tokenPath, revokePath, userinfoPath, scopes, requireIdentityMatch, identityAdminApproval };
}
