/**
 * The colleague card as a UI-kit modal: photo (image block), name, then only the fields the
 * provider returned (the HRM admin decides which, HRM_DIRECTORY_FIELDS).
 * A modal, not a contextual bar: Rocket.Chat's mobile app renders app modals but answers
 * `contextual_bar.open` with "unsupported" (nothing shown), so a bar would lose mobile users.
 * Plain UI-kit JSON: the engine's BlockBuilder is deprecated in 1.42.1 in favour of these types,
 * and openSurfaceView fills in appId and blockId.
 */
import type { LayoutBlock, TextObject } from '@rocket.chat/ui-kit';
import { IUIKitSurfaceViewParam } from '@rocket.chat/apps-engine/definition/accessors/IUIController';
import { BlockElementType, TextObjectType, UIKitSurfaceType } from '@rocket.chat/apps-engine/definition/uikit';
import { Colleague } from '../../features/directory/client';
import { t } from '../i18n/translate';
import { leaveLine } from '../messages/directoryFormat';

export const CARD_VIEW_ID = 'hrm-colleague-card';
export const CARD_CLOSE_ACTION_ID = 'hrm-colleague-card-close';

const md = (text: string): TextObject => ({ type: 'mrkdwn', text });

/** "Active", "On leave until 2026-12-24", or the status word as the provider gave it. */
export function employmentText(c: Colleague, lang = 'en'): string | undefined {
    switch (c.employmentStatus) {
        case undefined:
            return undefined;
        case 'active':
            return t(lang, 'employment-active');
        case 'on_leave':
            return leaveLine(c, lang);
        default:
            return c.employmentStatus.replace(/_/g, ' ');
    }
}

export function cardBlocks(c: Colleague, lang = 'en'): LayoutBlock[] {
    const name = c.name ?? c.username;
    const fields: Array<[string, string | undefined]> = [
        [t(lang, 'label-job-title'), c.jobTitle],
        [t(lang, 'label-department'), c.department],
        [t(lang, 'label-manager'), c.manager ? `${c.manager.name} (@${c.manager.username})` : undefined],
        [t(lang, 'label-employment'), employmentText(c, lang)],
    ];
    const present = fields.filter((f): f is [string, string] => !!f[1]);
    return [
        ...(c.picture ? [{ type: 'image', imageUrl: c.picture, altText: t(lang, 'card-photo', { name }) } as const] : []),
        { type: 'section', text: md(`*${name}* (@${c.username})`) },
        ...(present.length > 0 ? [{ type: 'section', fields: present.map(([label, value]) => md(`*${label}*\n${value}`)) } as const] : []),
    ];
}

export function cardSurface(c: Colleague, lang = 'en'): IUIKitSurfaceViewParam {
    return {
        id: CARD_VIEW_ID,
        type: UIKitSurfaceType.MODAL,
        title: { type: 'plain_text', text: t(lang, 'card-title', { name: c.name ?? c.username }) },
        blocks: cardBlocks(c, lang),
        // Read-only card: one Close button, no submit. Closing needs no answer from the app.
        close: { type: BlockElementType.BUTTON, actionId: CARD_CLOSE_ACTION_ID, text: { type: TextObjectType.PLAINTEXT, text: t(lang, 'card-close') } },
    };
}
