/** In-memory storages the AppManager needs: app metadata, app logs and app package sources. */
import { AppLogStorage, AppMetadataStorage, IAppStorageItem } from '@rocket.chat/apps-engine/server/storage';
import { AppSourceStorage } from '@rocket.chat/apps-engine/server/storage/AppSourceStorage';
import type { ILoggerStorageEntry } from '@rocket.chat/apps-engine/server/logging';
import type { AppConsole } from '@rocket.chat/apps-engine/server/logging/AppConsole';
import { AppConsole as AppConsoleClass } from '@rocket.chat/apps-engine/server/logging/AppConsole';

export class MemoryMetadataStorage extends AppMetadataStorage {
    private readonly items = new Map<string, IAppStorageItem>();

    constructor() {
        super('memory');
    }

    public async create(item: IAppStorageItem): Promise<IAppStorageItem> {
        if (this.items.has(item.id)) {
            throw new Error(`App ${item.id} is already stored`);
        }
        const stored = { ...item, _id: item.id, createdAt: new Date(), updatedAt: new Date() };
        this.items.set(item.id, stored);
        return stored;
    }

    public async retrieveOne(id: string): Promise<IAppStorageItem | null> {
        return this.items.get(id) ?? null;
    }

    public async retrieveAll(): Promise<Map<string, IAppStorageItem>> {
        return new Map(this.items);
    }

    public async update(item: IAppStorageItem): Promise<IAppStorageItem> {
        const stored = { ...item, updatedAt: new Date() };
        this.items.set(item.id, stored);
        return stored;
    }

    public async remove(id: string): Promise<{ success: boolean }> {
        return { success: this.items.delete(id) };
    }

    // Apps-Engine 1.62 updates stored apps field by field; 1.42.1 only calls update().
    public async retrieveAllPrivate(): Promise<Map<string, IAppStorageItem>> {
        return this.retrieveAll();
    }

    public async updatePartialAndReturnDocument(item: Partial<IAppStorageItem>): Promise<IAppStorageItem> {
        const current = this.items.get(String(item._id ?? item.id));
        const stored = { ...(current as IAppStorageItem), ...item, updatedAt: new Date() } as IAppStorageItem;
        this.items.set(stored.id, stored);
        return stored;
    }

    public async updateStatus(id: string, status: IAppStorageItem['status']): Promise<boolean> {
        return this.patch(id, { status });
    }

    public async updateSetting(id: string, setting: { id: string }): Promise<boolean> {
        const current = this.items.get(id);
        return current ? this.patch(id, { settings: { ...current.settings, [setting.id]: setting } } as Partial<IAppStorageItem>) : false;
    }

    public async updateAppInfo(id: string, info: IAppStorageItem['info']): Promise<boolean> {
        return this.patch(id, { info });
    }

    public async updateMarketplaceInfo(id: string, marketplaceInfo: unknown): Promise<boolean> {
        return this.patch(id, { marketplaceInfo } as Partial<IAppStorageItem>);
    }

    private patch(id: string, fields: Partial<IAppStorageItem>): boolean {
        const current = this.items.get(id);
        if (!current) {
            return false;
        }
        this.items.set(id, { ...current, ...fields, updatedAt: new Date() });
        return true;
    }
}

export class MemoryLogStorage extends AppLogStorage {
    public readonly entries: ILoggerStorageEntry[] = [];

    constructor() {
        super('memory');
    }

    public async find(query: { [field: string]: any }): Promise<ILoggerStorageEntry[]> {
        return this.entries.filter((e) => Object.entries(query).every(([k, v]) => (e as any)[k] === v));
    }

    /** 1.42.1 hands (appId, AppConsole); 1.62 (Deno runtime) hands the finished entry. */
    public async storeEntries(appIdOrEntry: string | ILoggerStorageEntry, logger?: AppConsole): Promise<ILoggerStorageEntry> {
        const entry = typeof appIdOrEntry === 'string' ? AppConsoleClass.toStorageEntry(appIdOrEntry, logger as AppConsole) : appIdOrEntry;
        this.entries.push(entry);
        return entry;
    }

    public async getEntriesFor(appId: string): Promise<ILoggerStorageEntry[]> {
        return this.entries.filter((e) => e.appId === appId);
    }

    public async removeEntriesFor(appId: string): Promise<void> {
        for (let i = this.entries.length - 1; i >= 0; i--) {
            if (this.entries[i].appId === appId) {
                this.entries.splice(i, 1);
            }
        }
    }

    /** Everything the app and the engine logged, as one string, for "no secrets in logs" checks. */
    public dump(): string {
        return JSON.stringify(this.entries);
    }
}

export class MemorySourceStorage extends AppSourceStorage {
    private readonly zips = new Map<string, Buffer>();

    public async store(item: IAppStorageItem, zip: Buffer): Promise<string> {
        this.zips.set(item.id, zip);
        return `memory:${item.id}`;
    }

    public async fetch(item: IAppStorageItem): Promise<Buffer> {
        const zip = this.zips.get(item.id);
        if (!zip) {
            throw new Error(`No package stored for ${item.id}`);
        }
        return zip;
    }

    public async update(item: IAppStorageItem, zip: Buffer): Promise<string> {
        return this.store(item, zip);
    }

    public async remove(item: IAppStorageItem): Promise<void> {
        this.zips.delete(item.id);
    }
}
