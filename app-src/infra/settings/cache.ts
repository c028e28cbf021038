/**
 * The app's settings, read once and kept until they change. Out of process (Apps-Engine 1.43+)
 * every setting read is an RPC, and a command used to re-read about nine of them; now a value is
 * read on first use and again only after onSettingUpdated invalidated it (HrmSsoApp), so a
 * command costs at most one settings read after a change. A read that throws is not cached.
 */
import { SettingSource, SettingsCacheLike } from '../../core/context';

export class SettingsCache implements SettingsCacheLike {
    private readonly values = new Map<string, unknown>();
    /** Reads that reached the engine (for tests and the figures in docs/hr-lifecycle.md). */
    public reads = 0;

    public view(source: SettingSource): SettingSource {
        return {
            getValueById: async (id: string): Promise<unknown> => {
                if (this.values.has(id)) {
                    return this.values.get(id);
                }
                this.reads++;
                const value = await source.getValueById(id);
                this.values.set(id, value);
                return value;
            },
        };
    }

    /** One setting changed (or, without an id, any may have: the app was enabled again). */
    public invalidate(id?: string): void {
        if (id === undefined) {
            this.values.clear();
        } else {
            this.values.delete(id);
        }
    }
}
