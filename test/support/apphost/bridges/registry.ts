/** Command and API bridges: remember what the app registered so tests can check it. */
import { ApiBridge, CommandBridge } from '@rocket.chat/apps-engine/server/bridges';
import { ISlashCommand } from '@rocket.chat/apps-engine/definition/slashcommands';
import { AppApi } from '@rocket.chat/apps-engine/server/managers/AppApi';

export class MemoryCommandBridge extends CommandBridge {
    public readonly commands = new Map<string, { appId: string; command: ISlashCommand; enabled: boolean }>();

    protected async doesCommandExist(command: string): Promise<boolean> {
        return this.commands.has(command);
    }

    protected async enableCommand(command: string): Promise<void> {
        const entry = this.commands.get(command);
        if (entry) {
            entry.enabled = true;
        }
    }

    protected async disableCommand(command: string): Promise<void> {
        const entry = this.commands.get(command);
        if (entry) {
            entry.enabled = false;
        }
    }

    protected async modifyCommand(command: ISlashCommand, appId: string): Promise<void> {
        this.commands.set(command.command, { appId, command, enabled: true });
    }

    protected async registerCommand(command: ISlashCommand, appId: string): Promise<void> {
        this.commands.set(command.command, { appId, command, enabled: true });
    }

    protected async unregisterCommand(command: string): Promise<void> {
        this.commands.delete(command);
    }
}

export class MemoryApiBridge extends ApiBridge {
    public readonly apis = new Map<string, { appId: string; computedPath: string; methods: string[] }>();

    protected async registerApi(api: AppApi, appId: string): Promise<void> {
        this.apis.set(api.computedPath, { appId, computedPath: api.computedPath, methods: api.implementedMethods });
    }

    protected async unregisterApis(appId: string): Promise<void> {
        for (const [path, entry] of [...this.apis.entries()]) {
            if (entry.appId === appId) {
                this.apis.delete(path);
            }
        }
    }
}
