/**
 * UI interaction bridge: records the surfaces (contextual bars, modals) the app opens through
 * IUIController, as Rocket.Chat's bridge would push them to the user's client. The engine's
 * base class checks the app's `ui.interact` permission before calling notifyUser.
 */
import { UiInteractionBridge } from '@rocket.chat/apps-engine/server/bridges';
import { IUIKitInteraction, IUIKitSurface } from '@rocket.chat/apps-engine/definition/uikit';
import { IUser } from '@rocket.chat/apps-engine/definition/users';

export interface OpenedSurface {
    userId: string;
    appId: string;
    /** e.g. contextual_bar.open, modal.open */
    type: string;
    triggerId: string;
    view?: IUIKitSurface;
    /** Every string in the view's title and blocks, for assertions. */
    text: string;
    /** imageUrl of every image block or element. */
    imageUrls: string[];
}

function collect(value: unknown, strings: string[], images: string[], key = ''): void {
    if (typeof value === 'string') {
        strings.push(value);
        if (key === 'imageUrl') {
            images.push(value);
        }
    } else if (Array.isArray(value)) {
        value.forEach((v) => collect(v, strings, images));
    } else if (value && typeof value === 'object') {
        Object.entries(value).forEach(([k, v]) => collect(v, strings, images, k));
    }
}

export class RecordingUiInteractionBridge extends UiInteractionBridge {
    public readonly opened: OpenedSurface[] = [];
    /** When set, the next notifyUser throws it (Rocket.Chat refusing a stale triggerId, say). */
    public failNext?: Error;

    protected async notifyUser(user: IUser, interaction: IUIKitInteraction, appId: string): Promise<void> {
        if (this.failNext) {
            const error = this.failNext;
            this.failNext = undefined;
            throw error;
        }
        const view = (interaction as IUIKitInteraction & { view?: IUIKitSurface }).view;
        const strings: string[] = [];
        const images: string[] = [];
        collect([view?.title ?? [], view?.blocks ?? []], strings, images);
        this.opened.push({ userId: user.id, appId, type: interaction.type, triggerId: interaction.triggerId, view, text: strings.join('\n'), imageUrls: images });
    }
}
