/** Message bridge that records what the app sends, notifyUser (ephemeral) calls in particular. */
import { MessageBridge } from '@rocket.chat/apps-engine/server/bridges';
import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { IUser } from '@rocket.chat/apps-engine/definition/users';

export interface Notification {
    userId: string;
    roomId?: string;
    senderUsername?: string;
    text: string;
    /** Text of every block, button labels and URLs included, for assertions. */
    blockText: string;
    buttonUrls: string[];
    raw: IMessage;
}

function collectStrings(value: unknown, out: string[], urls: string[], key = ''): void {
    if (typeof value === 'string') {
        out.push(value);
        if (key === 'url') {
            urls.push(value);
        }
    } else if (Array.isArray(value)) {
        value.forEach((v) => collectStrings(v, out, urls));
    } else if (value && typeof value === 'object') {
        Object.entries(value).forEach(([k, v]) => collectStrings(v, out, urls, k));
    }
}

export class RecordingMessageBridge extends MessageBridge {
    public readonly notifications: Notification[] = [];
    public readonly created: IMessage[] = [];

    protected async create(message: IMessage): Promise<string> {
        this.created.push(message);
        return `msg-${this.created.length}`;
    }

    protected async update(): Promise<void> {}

    protected async notifyUser(user: IUser, message: IMessage): Promise<void> {
        const strings: string[] = [];
        const urls: string[] = [];
        collectStrings([message.blocks ?? [], message.attachments ?? []], strings, urls);
        this.notifications.push({
            userId: user.id,
            roomId: message.room?.id,
            senderUsername: message.sender?.username,
            text: message.text ?? '',
            blockText: strings.join('\n'),
            buttonUrls: urls,
            raw: message,
        });
    }

    protected async notifyRoom(): Promise<void> {}

    protected async typing(): Promise<void> {}

    protected async getById(): Promise<IMessage> {
        throw new Error('not stored');
    }

    protected async delete(): Promise<void> {}
}
