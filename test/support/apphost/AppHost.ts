/**
 * A real Apps-Engine 1.42.1 host (AppManager) on in-memory bridges, loading the packaged zip.
 * Its Site_Url is a real HTTP server on 127.0.0.1 that hands `/api/apps/public/<appId>/<path>`
 * to the engine as Rocket.Chat does, so a browser can land on the app's callback.
 *
 * Jest sets NODE_ENV=test, and AppPermissionManager.hasPermission grants every permission
 * when NODE_ENV is 'test'. The host switches NODE_ENV to 'production' while it runs so the
 * permissions granted at install are enforced, and restores it on stop().
 */
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import { AppManager } from '@rocket.chat/apps-engine/server/AppManager';
import { AppStatus } from '@rocket.chat/apps-engine/definition/AppStatus';
import { IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { RequestMethod } from '@rocket.chat/apps-engine/definition/accessors';
import { IPermission } from '@rocket.chat/apps-engine/definition/permissions/IPermission';
import { IRoom, RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import { SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import { MemoryAppBridges } from './bridges';
import { Notification } from './bridges/messages';
import { StoredRecord } from './bridges/persistence';
import { chatUser } from './bridges/users';
import { buildAppZip, readAppManifest } from './buildAppZip';
import { MemoryLogStorage, MemoryMetadataStorage, MemorySourceStorage } from './storage';

export interface AppHostOptions {
    /** Permissions granted at install; defaults to the ones app.json declares. */
    permissions?: IPermission[];
    /** App settings to set right after install (id → value). */
    settings?: Record<string, unknown>;
    /** Apps-Engine 1.43+ (Deno runtime): where the engine writes temporary files and links its runtime (deno/runtime.ts). */
    tempFilePath?: string;
}

export class AppHost {
    public readonly bridges = new MemoryAppBridges();
    public readonly logs = new MemoryLogStorage();
    public readonly manager: AppManager;
    public readonly appId: string;
    public readonly room: IRoom;
    private readonly admin: IUser;
    private readonly previousNodeEnv = process.env.NODE_ENV;

    private constructor(public readonly siteUrl: string, private readonly site: http.Server, tempFilePath?: string) {
        process.env.NODE_ENV = 'production';
        this.manager = new AppManager({
            metadataStorage: new MemoryMetadataStorage(),
            logStorage: this.logs,
            bridges: this.bridges,
            sourceStorage: new MemorySourceStorage(),
            // 1.42.1 ignores it; the Deno runtime (1.62) needs it.
            ...(tempFilePath ? { tempFilePath } : {}),
        } as ConstructorParameters<typeof AppManager>[0]);
        this.appId = readAppManifest().id;
        this.bridges.serverSettings.set('Site_Url', siteUrl);
        this.admin = this.addUser({ id: 'admin-1', username: 'root', email: 'root@example.test', name: 'Root Admin', admin: true });
        this.room = { id: 'room-general', slugifiedName: 'general', type: RoomType.CHANNEL, creator: this.admin, usernames: [] };
    }

    /** Installs and enables the packaged app; throws with the engine's reasons when that fails. */
    public static async start(options: AppHostOptions = {}): Promise<AppHost> {
        let handle: http.RequestListener = (_req, res) => res.writeHead(503).end();
        const site = http.createServer((req, res) => handle(req, res));
        await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', () => resolve()));
        const host = new AppHost(`http://127.0.0.1:${(site.address() as AddressInfo).port}`, site, options.tempFilePath);
        handle = (req, res) => void host.serve(req, res);
        try {
            await host.install(options);
        } catch (err) {
            await host.stop();
            throw err;
        }
        return host;
    }

    private async install(options: AppHostOptions): Promise<void> {
        await this.manager.load();
        const zip = fs.readFileSync(buildAppZip());
        const permissionsGranted = options.permissions ?? readAppManifest().permissions;
        const result = await this.manager.add(zip, { enable: true, user: this.admin, permissionsGranted });
        const userError = result.getAppUserError() as { message?: string } | undefined;
        const problems = [result.getStorageError(), userError?.message].filter(Boolean);
        if (problems.length > 0 || !result.getApp()) {
            throw new Error(`App install failed: ${problems.join('; ') || 'no app returned'}`);
        }
        for (const [id, value] of Object.entries(options.settings ?? {})) {
            await this.setSetting(id, value);
        }
        const status = await this.status();
        // 1.42.1 reports an app enabled at install as auto-enabled, 1.62 as manually enabled.
        if (status !== AppStatus.AUTO_ENABLED && status !== AppStatus.MANUALLY_ENABLED) {
            throw new Error(`App is not enabled after install (status ${status}); logs: ${this.logs.dump().slice(0, 2000)}`);
        }
    }

    /** The site server: app API requests go to the engine, everything else is a 404. */
    private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        try {
            const url = new URL(req.url ?? '/', this.siteUrl);
            const prefix = `/api/apps/public/${this.appId}/`;
            if (!url.pathname.startsWith(prefix)) {
                res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
                return;
            }
            const chunks: Buffer[] = [];
            for await (const chunk of req) {
                chunks.push(chunk as Buffer);
            }
            const raw = Buffer.concat(chunks).toString('utf8');
            const method = (req.method ?? 'GET').toLowerCase() as RequestMethod;
            const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
            const content = /x-www-form-urlencoded/.test(headers['content-type'] ?? '') ? Object.fromEntries(new URLSearchParams(raw)) : raw || undefined;
            const answer = await this.manager.getApiManager().executeApi(this.appId, url.pathname.slice(prefix.length), {
                method,
                headers,
                query: Object.fromEntries(url.searchParams),
                params: {},
                content,
            });
            const outHeaders: Record<string, string> = { ...(answer?.headers as Record<string, string> | undefined) };
            let body = answer?.content;
            if (body !== undefined && typeof body !== 'string') {
                body = JSON.stringify(body);
                outHeaders['content-type'] ??= 'application/json';
            }
            outHeaders['content-type'] ??= 'text/html; charset=utf-8';
            res.writeHead(answer?.status ?? 404, outHeaders).end(body ?? '');
        } catch {
            res.writeHead(500, { 'content-type': 'text/plain' }).end('app API failed');
        }
    }

    /** The app's status (synchronous in 1.42.1, a promise in 1.62). */
    public async status(): Promise<AppStatus> {
        return this.manager.getOneById(this.appId).getStatus();
    }

    public addUser(u: { id: string; username: string; email: string; name: string; admin?: boolean; emailVerified?: boolean }): IUser {
        return this.bridges.users.add(chatUser(u));
    }

    public user(id: string): IUser {
        const user = this.bridges.users.get(id);
        if (!user) {
            throw new Error(`No chat user ${id}`);
        }
        return user;
    }

    /** The admin the host installed the app as (roles include 'admin'). */
    public get adminUser(): IUser {
        return this.admin;
    }

    /**
     * Runs `/hrm <args>` as `user` and returns the ephemeral messages it produced for that user.
     * Rocket.Chat's web client sends a triggerId with every slash command; pass one to let the
     * app open surfaces (they land in bridges.ui.opened).
     */
    public async command(user: IUser, args: string, options: { triggerId?: string } = {}): Promise<Notification[]> {
        const before = this.bridges.messages.notifications.length;
        const params = args.split(' ').filter((a) => a.length > 0);
        await this.manager.getCommandManager().executeCommand('hrm', new SlashCommandContext(user, this.room, params, undefined, options.triggerId));
        return this.bridges.messages.notifications.slice(before).filter((n) => n.userId === user.id);
    }

    /** Same as command(), joined into one string of text for simple assertions. */
    public async say(user: IUser, args: string): Promise<string> {
        const replies = await this.command(user, args);
        return replies.map((n) => [n.text, n.blockText].filter(Boolean).join('\n')).join('\n---\n');
    }

    /** What the browser gets when the provider redirects to `<Site_Url>/api/apps/public/<appId>/<path>?…`. */
    public async callApi(path: string, query: Record<string, string>): Promise<IApiResponse> {
        return this.manager.getApiManager().executeApi(this.appId, path, {
            method: RequestMethod.GET,
            headers: {},
            query,
            params: {},
            content: undefined,
        });
    }

    /** Follows a redirect URL aimed at this site's app API (e.g. …/hrm-callback?code&state). */
    public async followRedirect(url: URL): Promise<IApiResponse> {
        const prefix = `/api/apps/public/${this.appId}/`;
        if (`${url.protocol}//${url.host}` !== new URL(this.siteUrl).origin || !url.pathname.startsWith(prefix)) {
            throw new Error(`Redirect does not target this app: ${url.origin}${url.pathname}`);
        }
        return this.callApi(url.pathname.slice(prefix.length), Object.fromEntries(url.searchParams));
    }

    public async setSetting(id: string, value: unknown): Promise<void> {
        const current = this.manager.getSettingsManager().getAppSetting(this.appId, id);
        await this.manager.getSettingsManager().updateAppSetting(this.appId, { ...current, value });
    }

    /** Everything the app stored for a user (any association with that user id). */
    public recordsOf(userId: string): StoredRecord[] {
        return this.bridges.persistence.find(this.appId, [{ model: 'user', id: userId }]);
    }

    public record(userId: string, misc: string): any {
        return this.bridges.persistence.find(this.appId, [{ model: 'user', id: userId }, { model: 'misc', id: misc }])[0]?.data;
    }

    /** Test setup: the records a successful login leaves (engine token + linked identity). */
    public seedLink(userId: string, link: { token: string; refreshToken?: string; expiresInSeconds: number; username: string; email: string; name: string; sub?: string }): void {
        const user = (misc: string) => [{ model: 'user', id: userId }, { model: 'misc', id: misc }];
        this.bridges.persistence.seed(this.appId, user('hrm-oauth-connection'), {
            token: link.token,
            refreshToken: link.refreshToken ?? '',
            scope: 'read write',
            expiresAt: link.expiresInSeconds,
        });
        this.bridges.persistence.seed(this.appId, user('hrm-linked-identity'), {
            sub: link.sub ?? `sub-${link.username}`,
            userId,
            username: link.username,
            email: link.email,
            name: link.name,
            linkedAt: Date.now(),
            accessTokenExpiresAt: Date.now() + link.expiresInSeconds * 1000,
        });
    }

    /** A channel the app can find by name; members are tracked by the room bridge. */
    public addRoom(name: string, type: RoomType = RoomType.CHANNEL): IRoom {
        return this.bridges.rooms.add({ id: `room-${name}`, slugifiedName: name, displayName: name, type, creator: this.admin, usernames: [] });
    }

    /** Deletes a channel (as an admin would between two runs of the HR job). */
    public deleteRoom(name: string): void {
        const room = [...this.bridges.rooms.rooms.values()].find((r) => r.slugifiedName === name);
        if (room) {
            this.bridges.rooms.rooms.delete(room.id);
            this.bridges.rooms.members.delete(room.id);
        }
    }

    /** The user's Rocket.Chat language (Account → Preferences → Language). */
    public setLanguage(userId: string, language: string): void {
        const user = this.user(userId);
        this.bridges.users.add({ ...user, settings: { ...(user.settings ?? {}), preferences: { ...(user.settings?.preferences ?? {}), language } } } as IUser);
    }

    /**
     * Delivers a UI event (block action, view submit or close) as Rocket.Chat does — through the
     * IUIKitInteractionHandler listener — and returns the app's answer.
     */
    public async uiEvent(event: { type: 'blockAction' | 'viewSubmit' | 'viewClosed'; user: IUser; actionId?: string; viewId?: string; room?: IRoom }): Promise<unknown> {
        const view = { id: event.viewId ?? '', type: 'modal', title: { type: 'plain_text', text: '' }, blocks: [], appId: this.appId, state: {} };
        return this.manager.getListenerManager().executeListener(AppInterface.IUIKitInteractionHandler, {
            type: event.type,
            appId: this.appId,
            actionId: event.actionId,
            triggerId: 'trigger-ui',
            user: event.user,
            room: event.room,
            container: { type: 'view', id: event.viewId ?? '' },
            payload: event.type === 'blockAction' ? { blockId: 'block-1', value: undefined } : { view, isCleared: false },
        } as never);
    }

    /** Runs one of the app's scheduler processors through the engine (as Rocket.Chat's scheduler does). */
    public async runJob(id: string): Promise<void> {
        await this.bridges.scheduler.run(`${id}_${this.appId}`);
    }

    public async stop(): Promise<void> {
        try {
            await this.manager.unload(false);
        } finally {
            // The engine allows one AppManager per process; let the next host start.
            AppManager.Instance = undefined as unknown as AppManager;
            process.env.NODE_ENV = this.previousNodeEnv;
            await new Promise<void>((resolve) => {
                this.site.close(() => resolve());
                this.site.closeAllConnections();
            });
        }
    }
}
