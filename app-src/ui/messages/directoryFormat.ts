/** Colleague cards and search results as chat text. */
import { Colleague, DirectoryPage } from '../../features/directory/client';

export function cardLines(c: Colleague): string[] {
    const role = [c.jobTitle, c.department].filter(Boolean).join(' · ');
    return [
        `*${c.name ?? c.username}* (@${c.username})`,
        ...(role ? [role] : []),
        ...(c.manager ? [`Manager: ${c.manager.name} (@${c.manager.username})`] : []),
        ...(c.employmentStatus === 'on_leave' ? [c.leaveUntil ? `On leave until ${c.leaveUntil}` : 'On leave'] : []),
    ];
}

export function resultsText(p: DirectoryPage): string {
    if (p.total === 0) {
        return p.q ? `Nobody in the HRM directory matches "${p.q}".` : 'The HRM directory is empty.';
    }
    const what = p.q ? ` for "${p.q}"` : '';
    const lines = [`Found ${p.total} ${p.total === 1 ? 'person' : 'people'}${what} (page ${p.page} of ${p.pages}):`];
    for (const c of p.people) {
        const role = [c.jobTitle, c.department].filter(Boolean).join(', ');
        lines.push(`• *${c.name ?? c.username}* (@${c.username})${role ? ` — ${role}` : ''}`);
    }
    if (p.page < p.pages) {
        lines.push(`More: \`/hrm find ${p.q} --page ${p.page + 1}\``);
    }
    return lines.join('\n');
}
