/** App persistence in memory, with Rocket.Chat's association semantics ("has all of these"). */
import { PersistenceBridge } from '@rocket.chat/apps-engine/server/bridges';
import { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

export interface StoredRecord {
    id: string;
    appId: string;
    associations: Array<{ model: string; id: string }>;
    data: object;
}

export class MemoryPersistenceBridge extends PersistenceBridge {
    public readonly records: StoredRecord[] = [];
    private nextId = 1;
    /** Records by "model:id" of each association, as Rocket.Chat's index on associations (the scale tests hold 15,000+ records). */
    private readonly index = new Map<string, Set<StoredRecord>>();
    /** Insertion order, so answers keep the order records were written in. */
    private readonly order = new WeakMap<StoredRecord, number>();
    private sequence = 0;

    /** Records of one app carrying all the given associations (model:id strings or records). */
    public find(appId: string, associations: Array<{ model: string; id: string }>): StoredRecord[] {
        this.reindexIfEdited();
        const sets = associations.map((a) => this.index.get(`${a.model}:${a.id}`) ?? new Set<StoredRecord>());
        const candidates = sets.length === 0 ? this.records : [...sets.reduce((a, b) => (a.size <= b.size ? a : b))];
        return candidates.filter(
            (r) => r.appId === appId && associations.every((a) => r.associations.some((b) => b.model === a.model && b.id === a.id)),
        ).sort((a, b) => (this.order.get(a) ?? 0) - (this.order.get(b) ?? 0));
    }

    /** Tests may splice `records` directly (to clear a user's records): then the index is rebuilt. */
    private indexed = 0;

    private reindexIfEdited(): void {
        if (this.indexed === this.records.length) {
            return;
        }
        const all = [...this.records];
        this.records.length = 0;
        this.index.clear();
        this.indexed = 0;
        for (const record of all) {
            this.add(record);
        }
    }

    private add(record: StoredRecord): void {
        this.records.push(record);
        this.indexed++;
        this.order.set(record, this.sequence++);
        for (const a of record.associations) {
            const key = `${a.model}:${a.id}`;
            const set = this.index.get(key) ?? new Set<StoredRecord>();
            set.add(record);
            this.index.set(key, set);
        }
    }

    /** Test setup: store a record as if the app had written it. */
    public seed(appId: string, associations: Array<{ model: string; id: string }>, data: object): string {
        const id = `rec-${this.nextId++}`;
        this.add({ id, appId, associations: associations.map((a) => ({ ...a })), data: this.clone(data) });
        return id;
    }

    protected async purge(appId: string): Promise<void> {
        this.removeWhere((r) => r.appId === appId);
    }

    protected async create(data: object, appId: string): Promise<string> {
        return this.insert(data, [], appId);
    }

    protected async createWithAssociations(data: object, associations: RocketChatAssociationRecord[], appId: string): Promise<string> {
        return this.insert(data, associations, appId);
    }

    protected async readById(id: string, appId: string): Promise<object> {
        return this.clone(this.records.find((r) => r.id === id && r.appId === appId)?.data) as object;
    }

    protected async readByAssociations(associations: RocketChatAssociationRecord[], appId: string): Promise<object[]> {
        return this.find(appId, this.plain(associations)).map((r) => this.clone(r.data));
    }

    protected async remove(id: string, appId: string): Promise<object | undefined> {
        const [removed] = this.removeWhere((r) => r.id === id && r.appId === appId);
        return removed?.data;
    }

    protected async removeByAssociations(associations: RocketChatAssociationRecord[], appId: string): Promise<object[] | undefined> {
        const wanted = this.find(appId, this.plain(associations));
        const removed = this.removeWhere((r) => wanted.includes(r));
        return removed.length ? removed.map((r) => r.data) : undefined;
    }

    protected async update(id: string, data: object, upsert: boolean, appId: string): Promise<string> {
        const record = this.records.find((r) => r.id === id && r.appId === appId);
        if (record) {
            record.data = this.clone(data);
            return id;
        }
        if (!upsert) {
            throw new Error(`No record ${id} to update`);
        }
        return this.insert(data, [], appId, id);
    }

    protected async updateByAssociations(associations: RocketChatAssociationRecord[], data: object, upsert: boolean, appId: string): Promise<string> {
        const [record] = this.find(appId, this.plain(associations));
        if (record) {
            record.data = this.clone(data);
            return record.id;
        }
        if (!upsert) {
            throw new Error('No record with these associations to update');
        }
        return this.insert(data, associations, appId);
    }

    private insert(data: object, associations: RocketChatAssociationRecord[], appId: string, id?: string): string {
        const recordId = id ?? `rec-${this.nextId++}`;
        this.add({ id: recordId, appId, associations: this.plain(associations), data: this.clone(data) });
        return recordId;
    }

    private removeWhere(predicate: (r: StoredRecord) => boolean): StoredRecord[] {
        const removed = this.records.filter(predicate);
        for (const r of removed) {
            this.records.splice(this.records.indexOf(r), 1);
            this.indexed--;
            for (const a of r.associations) {
                this.index.get(`${a.model}:${a.id}`)?.delete(r);
            }
        }
        return removed;
    }

    private plain(associations: RocketChatAssociationRecord[] | Array<{ model: string; id: string }>): Array<{ model: string; id: string }> {
        return associations.map((a: any) => ({ model: String(a.getModel ? a.getModel() : a.model), id: String(a.getID ? a.getID() : a.id) }));
    }

    private clone<T>(value: T): T {
        return value === undefined ? value : JSON.parse(JSON.stringify(value));
    }
}
