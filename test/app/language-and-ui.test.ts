/**
 * Chat text in the user's language (issue 19 G), every UI event answered (D) and the settings
 * cache (C), in the real Apps-Engine 1.42.1 host against the real provider.
 */
import { SettingRead } from '@rocket.chat/apps-engine/server/accessors/SettingRead';
import { AppHost } from '../support/apphost/AppHost';
import { authorizeWithForms } from '../support/authorize-with-forms';
import { startTestProvider, TestProvider } from '../support/provider';
import { execFileSync } from 'child_process';
import * as path from 'path';

const ADA = { username: 'ada', email: 'ada@example.test', name: 'Ada Lovelace', password: 'correct horse battery staple', department: 'Engineering', jobTitle: 'Analyst' };
const BEN = { username: 'ben', email: 'ben@example.test', name: 'Ben Brot', password: 'ben has a long passphrase', department: 'Vertrieb', jobTitle: 'Verkäufer' };

describe('the user\'s language, UI events and cached settings', () => {
    let provider: TestProvider;
    let host: AppHost;
    const ada = () => host.user('rc-ada');
    const ben = () => host.user('rc-ben');

    async function link(userId: string, as: { username: string; password: string }): Promise<void> {
        const [reply] = await host.command(host.user(userId), 'login');
        const landing = await authorizeWithForms(reply.buttonUrls[0], as);
        expect((await host.followRedirect(landing)).status).toBe(200);
    }

    beforeAll(async () => {
        provider = await startTestProvider();
        host = await AppHost.start();
        host.addUser({ id: 'rc-ada', username: 'ada', email: ADA.email, name: ADA.name });
        host.addUser({ id: 'rc-ben', username: 'ben', email: BEN.email, name: BEN.name });
        const client = await provider.createClient({ name: 'Rocket.Chat app', redirectUris: [`${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback`], preset: 'rocketchat-app' });
        await provider.createUser(ADA);
        await provider.createUser(BEN);
        await host.setSetting('hrm-provider-url', provider.baseUrl);
        await host.setSetting('hrm-oauth-client-id', client.client_id);
        await host.setSetting('hrm-oauth-clientsecret', client.client_secret);
        await host.setSetting('hrm-scopes', 'read write hrm');
        await link('rc-ada', ADA);
        host.setLanguage('rc-ben', 'de');
        await link('rc-ben', BEN);
    }, 120_000);

    afterAll(async () => {
        await host?.stop();
        await provider?.stop();
    });

    test('the chat texts come from the i18n files: the generated catalog is up to date and every language has every key', () => {
        execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'app-i18n.js'), '--check']);
        const { CATALOGS } = require('../../app-src/ui/i18n/catalog') as typeof import('../../app-src/ui/i18n/catalog');
        expect(Object.keys(CATALOGS).sort()).toEqual(['de', 'en', 'es', 'fr', 'pt-BR']);
        for (const language of Object.keys(CATALOGS)) {
            expect(Object.keys(CATALOGS[language]).sort()).toEqual(Object.keys(CATALOGS.en).sort());
        }
    });

    test('/hrm help in English and in German (the user\'s Rocket.Chat language)', async () => {
        const en = await host.say(ada(), 'help');
        expect(en.split('\n')[0]).toBe('*HRM SSO* — connect your HRM account to Rocket.Chat:');
        expect(en).toContain('• `/hrm whoami` — show your HRM profile (name, username, email, department, job title)');
        const de = await host.say(ben(), 'help');
        expect(de.split('\n')[0]).toBe('*HRM SSO* — verbinde dein HRM-Konto mit Rocket.Chat:');
        expect(de).toContain('• `/hrm whoami` — dein HRM-Profil zeigen (Name, Benutzername, E-Mail, Abteilung, Position)');
        expect(await host.say(ben(), 'frobnicate')).toMatch(/^`\/hrm frobnicate` ist kein Befehl, den ich kenne\./);
    });

    test('/hrm whoami in English and in German; the link notice came in German too', async () => {
        expect(await host.say(ada(), 'whoami')).toBe('Your HRM profile:\n*Name:* Ada Lovelace\n*Username:* ada\n*Email:* ada@example.test\n*Department:* Engineering\n*Job title:* Analyst');
        expect(await host.say(ben(), 'whoami')).toBe('Dein HRM-Profil:\n*Name:* Ben Brot\n*Benutzername:* ben\n*E-Mail:* ben@example.test\n*Abteilung:* Vertrieb\n*Position:* Verkäufer');
        const notice = host.bridges.messages.notifications.filter((n) => n.userId === 'rc-ben').find((n) => n.text?.startsWith('Mit HRM verknüpft'));
        expect(notice?.text).toBe('Mit HRM verknüpft als Ben Brot (ben, ben@example.test).');
    });

    test('/hrm status gives dates in the user\'s locale', async () => {
        expect(await host.say(ada(), 'status')).toMatch(/^Linked to HRM as Ada Lovelace \(ada, ada@example\.test\) since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\./);
        const de = await host.say(ben(), 'status');
        expect(de).toMatch(/^Mit HRM verknüpft als Ben Brot \(ben, ben@example\.test\) seit \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} UTC\./);
        expect(de).toMatch(/Das Zugriffstoken läuft in \d+ (Minuten|Stunden|Stunde) ab/);
    });

    test('the colleague card (modal) in English and in German', async () => {
        await host.command(ada(), 'who @ben', { triggerId: 'trigger-en' });
        const en = host.bridges.ui.opened[host.bridges.ui.opened.length - 1];
        expect(en.view).toMatchObject({ title: { text: 'HRM profile: Ben Brot' }, close: { text: { text: 'Close' } } });
        expect(en.text).toContain('*Job title*\nVerkäufer');
        expect(en.text).toContain('*Employment*\nActive');
        await host.command(ben(), 'who @ada', { triggerId: 'trigger-de' });
        const de = host.bridges.ui.opened[host.bridges.ui.opened.length - 1];
        expect(de.view).toMatchObject({ title: { text: 'HRM-Profil: Ada Lovelace' }, close: { text: { text: 'Schließen' } } });
        expect(de.text).toContain('*Position*\nAnalyst');
        expect(de.text).toContain('*Abteilung*\nEngineering');
        expect(de.text).toContain('*Beschäftigung*\nAktiv');
    });

    test('another language and a regional variant; an unknown language falls back to English', async () => {
        host.setLanguage('rc-ada', 'pt');
        expect(await host.say(ada(), 'who')).toBe('Uso: `/hrm who @usuário`');
        host.setLanguage('rc-ada', 'fr-CA');
        expect(await host.say(ada(), 'who')).toBe('Utilisation : `/hrm who @utilisateur`');
        host.setLanguage('rc-ada', 'es');
        expect(await host.say(ada(), 'find zzz')).toBe('Nadie en el directorio de HRM coincide con «zzz».');
        host.setLanguage('rc-ada', 'tlh');
        expect(await host.say(ada(), 'who')).toBe('Usage: `/hrm who @username`');
    });

    test('every UI event is handled: the card\'s close and submit, the link button, and unknown ids get a clear sentence', async () => {
        const app = host.manager.getOneById(host.appId);
        for (const method of ['executeBlockActionHandler', 'executeViewSubmitHandler', 'executeViewClosedHandler', 'executeActionButtonHandler']) {
            expect(app.hasMethod(method as never)).toBe(true);
        }
        const notices = () => host.bridges.messages.notifications.filter((n) => n.userId === 'rc-ben').length;
        const before = notices();
        expect(await host.uiEvent({ type: 'viewClosed', user: ben(), viewId: 'hrm-colleague-card', room: host.room })).toEqual({ success: true });
        expect(await host.uiEvent({ type: 'viewSubmit', user: ben(), viewId: 'hrm-colleague-card', room: host.room })).toEqual({ success: true });
        expect(await host.uiEvent({ type: 'blockAction', user: ben(), actionId: 'hrm-open-link', room: host.room })).toEqual({ success: true });
        expect(notices()).toBe(before);
        // Unknown ids: a success answer (no methodNotFound, no error) and one sentence in the user's language.
        expect(await host.uiEvent({ type: 'blockAction', user: ben(), actionId: 'evil-action<x>', room: host.room })).toEqual({ success: true });
        expect(await host.uiEvent({ type: 'viewSubmit', user: ben(), viewId: 'some-other-view', room: host.room })).toEqual({ success: true });
        expect(await host.uiEvent({ type: 'viewClosed', user: ben(), viewId: 'some-other-view', room: host.room })).toEqual({ success: true });
        const sent = host.bridges.messages.notifications.filter((n) => n.userId === 'rc-ben').slice(before).map((n) => n.text);
        const sentence = 'Diese HRM-SSO-Schaltfläche oder dieser Dialog ist nicht mehr gültig, daher wurde nichts getan: führe den /hrm-Befehl erneut aus.';
        expect(sent).toEqual([sentence, sentence]);
        expect(host.logs.dump()).toContain('Ignored a UI event for an unknown action \\"evil-actionx\\"');
        expect(host.logs.dump()).toContain('Ignored the closing of an unknown view \\"some-other-view\\"');
    });

    test('settings are cached: a command reads none; after a change, at most one', async () => {
        const reads = jest.spyOn(SettingRead.prototype, 'getValueById');
        try {
            await host.say(host.user('rc-ben'), 'whoami');
            await host.say(host.user('rc-ben'), 'status');
            expect(reads).not.toHaveBeenCalled();
            await host.setSetting('hrm-scopes', 'read write hrm');
            reads.mockClear();
            await host.say(host.user('rc-ben'), 'whoami');
            expect(reads.mock.calls.length).toBeLessThanOrEqual(1);
            reads.mockClear();
            await host.say(host.user('rc-ben'), 'whoami');
            expect(reads).not.toHaveBeenCalled();
        } finally {
            reads.mockRestore();
        }
    });
});
