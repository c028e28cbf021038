/** Server settings the app may read; only Site_Url is needed. */
import { ServerSettingBridge } from '@rocket.chat/apps-engine/server/bridges';
import { ISetting, SettingType } from '@rocket.chat/apps-engine/definition/settings';

export class MemoryServerSettingBridge extends ServerSettingBridge {
    private readonly settings = new Map<string, ISetting>();

    public set(id: string, value: string): void {
        this.settings.set(id, { id, type: SettingType.STRING, packageValue: value, value, required: false, public: true, i18nLabel: id });
    }

    protected async getAll(): Promise<ISetting[]> {
        return [...this.settings.values()];
    }

    protected async getOneById(id: string): Promise<ISetting> {
        return this.settings.get(id) as ISetting;
    }

    protected async hideGroup(): Promise<void> {}

    protected async hideSetting(): Promise<void> {}

    protected async isReadableById(id: string): Promise<boolean> {
        return this.settings.has(id);
    }

    protected async updateOne(setting: ISetting): Promise<void> {
        this.settings.set(setting.id, setting);
    }

    protected async incrementValue(): Promise<void> {}
}
