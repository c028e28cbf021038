/** The run summary: one message in the admin-chosen room, and the app log. */
import { IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { HrmServices } from '../../core/context';
import { RunSummary } from './offboarding';
import type { PassStats } from './pass';

const MAX_LINES = 20;

export function summaryText(s: RunSummary, stats?: PassStats): string {
    const head = s.dryRun ? '*HRM job (dry run: nothing was changed)*' : '*HRM job*';
    if (s.aborted) {
        return `${head}\n:warning: ${s.aborted}`;
    }
    const lines = [
        head,
        s.dryRun
            ? `Checked ${s.checked} linked user${s.checked === 1 ? '' : 's'}; ${s.wouldUnlink.length} would be unlinked.`
            : `Checked ${s.checked} · unlinked ${s.unlinked} · deactivated ${s.deactivated} · profiles updated ${s.profilesUpdated} · channel joins ${s.channelJoins} · failed ${s.failed}`,
        ...s.wouldUnlink.slice(0, MAX_LINES).map((w) => `• would unlink ${w}`),
        ...s.problems.slice(0, MAX_LINES).map((p) => `• ${p}`),
    ];
    if (!s.dryRun && (s.channelLeaves > 0 || s.oldChannelsKept > 0)) {
        lines.splice(2, 0, `Channels left after a department move ${s.channelLeaves}${s.oldChannelsKept > 0 ? ` · kept ${s.oldChannelsKept} (this Rocket.Chat's Apps-Engine cannot remove channel members; it needs 1.52 or newer)` : ''}`);
    }
    if (stats) {
        lines.splice(2, 0, `Pass over ${stats.total} linked user${stats.total === 1 ? '' : 's'} in ${stats.invocations} invocation${stats.invocations === 1 ? '' : 's'} (longest ${(stats.longestMs / 1000).toFixed(1)} s).`);
    }
    const hidden = Math.max(0, s.wouldUnlink.length - MAX_LINES) + Math.max(0, s.problems.length - MAX_LINES);
    if (hidden > 0) {
        lines.push(`…and ${hidden} more (see the app log).`);
    }
    if (s.skippedOldLinks > 0) {
        lines.push(`${s.skippedOldLinks} link${s.skippedOldLinks === 1 ? '' : 's'} made before version 0.2 could not be checked; they are included once their user runs an /hrm command that renews the token, or links again.`);
    }
    return lines.join('\n');
}

export async function reportRun(services: HrmServices, read: IRead, modify: IModify, roomName: string, summary: RunSummary, stats?: PassStats): Promise<void> {
    const text = summaryText(summary, stats);
    const log = services.logger();
    if (summary.aborted) {
        log.warn(text);
    } else {
        log.info(text);
    }
    if (!roomName) {
        return;
    }
    try {
        const room = await read.getRoomReader().getByName(roomName);
        if (!room) {
            log.warn(`HR job: the report room #${roomName} does not exist; the summary is only in this log.`);
            return;
        }
        const sender = await read.getUserReader().getAppUser();
        const message = modify.getCreator().startMessage().setRoom(room).setText(text).setGroupable(false);
        if (sender) {
            message.setSender(sender);
        }
        await modify.getCreator().finish(message);
    } catch (error) {
        log.warn(`HR job: could not post the summary to #${roomName}.`);
    }
}
