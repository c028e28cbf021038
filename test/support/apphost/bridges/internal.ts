/** Internal, federation (app signing keys) and scheduler bridges. */
import { generateKeyPairSync } from 'crypto';
import { IInternalFederationBridge, SchedulerBridge } from '@rocket.chat/apps-engine/server/bridges';
import { InternalBridge } from '@rocket.chat/apps-engine/server/bridges/InternalBridge';
import { ISetting, SettingType } from '@rocket.chat/apps-engine/definition/settings';

export class MemoryInternalBridge extends InternalBridge {
    protected async getUsernamesOfRoomById(): Promise<string[]> {
        return [];
    }

    protected getUsernamesOfRoomByIdSync(): string[] {
        return [];
    }

    protected async getWorkspacePublicKey(): Promise<ISetting> {
        return { id: 'Cloud_Workspace_PublicKey', type: SettingType.STRING, packageValue: '', value: '', required: false, public: false, i18nLabel: '' };
    }
}

/** The engine signs installed apps with the workspace's federation key pair: a real RSA pair. */
export class KeyPairFederationBridge implements IInternalFederationBridge {
    private readonly keys = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });

    public async getPrivateKey(): Promise<string | null> {
        return this.keys.privateKey;
    }

    public async getPublicKey(): Promise<string | null> {
        return this.keys.publicKey;
    }
}

export class MemorySchedulerBridge extends SchedulerBridge {
    protected async registerProcessors(): Promise<void> {}

    protected async scheduleOnce(): Promise<void> {}

    protected async scheduleRecurring(): Promise<void> {}

    protected async cancelJob(): Promise<void> {}

    protected async cancelAllJobs(): Promise<void> {}
}
