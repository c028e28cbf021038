/** Colleague cards and search results as chat text, in the user's language. */
import { Colleague, DirectoryPage } from '../../features/directory/client';
import { t, tn } from '../i18n/translate';

export function leaveLine(c: Pick<Colleague, 'leaveUntil'>, lang = 'en'): string {
    return c.leaveUntil ? t(lang, 'on-leave-until', { date: c.leaveUntil }) : t(lang, 'on-leave');
}

export function cardLines(c: Colleague, lang = 'en'): string[] {
    const role = [c.jobTitle, c.department].filter(Boolean).join(' · ');
    return [
        `*${c.name ?? c.username}* (@${c.username})`,
        ...(role ? [role] : []),
        ...(c.manager ? [`${t(lang, 'label-manager')}: ${c.manager.name} (@${c.manager.username})`] : []),
        ...(c.employmentStatus === 'on_leave' ? [leaveLine(c, lang)] : []),
    ];
}

export function resultsText(p: DirectoryPage, lang = 'en'): string {
    if (p.total === 0) {
        return p.q ? t(lang, 'directory-no-match', { q: p.q }) : t(lang, 'directory-empty');
    }
    const what = p.q ? t(lang, 'directory-for', { q: p.q }) : '';
    const lines = [tn(lang, 'directory-found', p.total, { what, page: p.page, pages: p.pages })];
    for (const c of p.people) {
        const role = [c.jobTitle, c.department].filter(Boolean).join(', ');
        lines.push(`• *${c.name ?? c.username}* (@${c.username})${role ? ` — ${role}` : ''}`);
    }
    if (p.page < p.pages) {
        lines.push(t(lang, 'directory-more', { q: p.q, page: p.page + 1 }));
    }
    return lines.join('\n');
}
