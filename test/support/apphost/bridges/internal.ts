/** Internal, federation (app signing keys) and scheduler bridges. */
import { generateKeyPairSync } from 'crypto';
import { IInternalFederationBridge, SchedulerBridge } from '@rocket.chat/apps-engine/server/bridges';
import { InternalBridge } from '@rocket.chat/apps-engine/server/bridges/InternalBridge';
import { ISetting, SettingType } from '@rocket.chat/apps-engine/definition/settings';
import { IJobContext, IOnetimeSchedule, IProcessor, IRecurringSchedule } from '@rocket.chat/apps-engine/definition/scheduler';

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

/** Keeps the processors (wrapped by the engine) and recurring schedules, so tests can run a job as the engine would. */
export class MemorySchedulerBridge extends SchedulerBridge {
    public readonly processors = new Map<string, IProcessor>();
    public readonly recurring = new Map<string, IRecurringSchedule>();

    protected async registerProcessors(processors: IProcessor[] = []): Promise<void> {
        for (const p of processors) {
            this.processors.set(p.id, p);
        }
    }

    /** One-time schedules in order (the HR job's continuation), for assertions. */
    public readonly once: IOnetimeSchedule[] = [];

    protected async scheduleOnce(job: IOnetimeSchedule): Promise<void> {
        this.once.push(job);
    }

    protected async scheduleRecurring(job: IRecurringSchedule): Promise<void> {
        this.recurring.set(job.id, job);
    }

    protected async cancelJob(jobId: string): Promise<void> {
        this.recurring.delete(jobId);
    }

    protected async cancelAllJobs(): Promise<void> {
        this.recurring.clear();
    }

    /** Runs a processor through the engine's wrapper (sandbox, accessors, logging), as Rocket.Chat's agenda does. */
    public async run(processorId: string): Promise<void> {
        const p = this.processors.get(processorId);
        if (!p) {
            throw new Error(`No processor ${processorId}; registered: ${[...this.processors.keys()].join(', ')}`);
        }
        await p.processor({} as IJobContext, undefined as never, undefined as never, undefined as never, undefined as never);
    }
}
