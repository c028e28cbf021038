/** Unit tests: command parsing, help texts and message formatting. */
import { extraArgumentsText, helpText, unknownSubcommandText } from '../../app-src/ui/commands/help';
import { parseCommand } from '../../app-src/ui/commands/parse';
import { isAdmin } from '../../app-src/ui/commands/check';
import { describeIdentity, formatDate, formatProfile, formatRelative, formatStatus } from '../../app-src/ui/messages/format';
import { cancelledPage, linkedPage } from '../../app-src/ui/messages/html';

describe('parseCommand', () => {
    test.each([
        [[], { kind: 'help' }],
        [['  '], { kind: 'help' }],
        [['help'], { kind: 'help' }],
        [['help', 'Login'], { kind: 'help', topic: 'login' }],
        [['help', 'nope'], { kind: 'extra_arguments', subcommand: 'help' }],
        [['help', 'login', 'x'], { kind: 'extra_arguments', subcommand: 'help' }],
        [['login'], { kind: 'run', subcommand: 'login' }],
        [['WhoAmI'], { kind: 'run', subcommand: 'whoami' }],
        [['', 'status', ''], { kind: 'run', subcommand: 'status' }],
        [['logout', 'now'], { kind: 'extra_arguments', subcommand: 'logout' }],
        [['signin'], { kind: 'unknown', given: 'signin' }],
    ])('%j → %j', (args, expected) => {
        expect(parseCommand(args as string[])).toEqual(expected);
    });

    test('an unknown word is cut to 40 characters before it is echoed', () => {
        const parsed = parseCommand(['x'.repeat(500)]);
        expect(parsed).toEqual({ kind: 'unknown', given: 'x'.repeat(40) });
    });
});

describe('help texts', () => {
    test('the full help names every subcommand once', () => {
        const text = helpText();
        for (const sub of ['login', 'logout', 'status', 'whoami', 'check', 'help']) {
            expect(text.split(`\`/hrm ${sub}`).length - 1).toBe(1);
        }
    });

    test('unknown and extra-argument answers', () => {
        expect(unknownSubcommandText('foo')).toMatch(/^`\/hrm foo` is not a subcommand I know\.\n/);
        expect(extraArgumentsText('status')).toBe('`/hrm status` takes no arguments. Usage: `/hrm status` — show whether you are linked, as whom and until when');
    });
});

describe('isAdmin', () => {
    test('only the admin role counts', () => {
        expect(isAdmin(['user', 'admin'])).toBe(true);
        expect(isAdmin(['user', 'moderator', 'Admin'])).toBe(false);
        expect(isAdmin(undefined)).toBe(false);
    });
});

describe('formatting', () => {
    test('describeIdentity leaves out what is unknown and never repeats the head', () => {
        expect(describeIdentity({ sub: '1', name: 'Ada Lovelace', username: 'ada', email: 'ada@x.test' })).toBe('Ada Lovelace (ada, ada@x.test)');
        expect(describeIdentity({ sub: '1', username: 'ada' })).toBe('ada');
        expect(describeIdentity({ sub: '1', email: 'ada@x.test', username: 'ada' })).toBe('ada (ada@x.test)');
        expect(describeIdentity({ sub: '42' })).toBe('HRM user 42');
    });

    test('formatDate uses the user offset', () => {
        const t = Date.UTC(2026, 10, 22, 23, 30);
        expect(formatDate(t)).toBe('2026-11-22 23:30 UTC');
        expect(formatDate(t, 2)).toBe('2026-11-23 01:30 UTC+2');
        expect(formatDate(t, -5)).toBe('2026-11-22 18:30 UTC-5');
        expect(formatDate(t, Number.NaN)).toBe('2026-11-22 23:30 UTC');
    });

    test('formatRelative', () => {
        const now = 1_000_000_000;
        expect(formatRelative(now + 1000, now)).toBe('in 1 second');
        expect(formatRelative(now + 59_000, now)).toBe('in 59 seconds');
        expect(formatRelative(now + 5 * 60_000, now)).toBe('in 5 minutes');
        expect(formatRelative(now - 2 * 3_600_000, now)).toBe('2 hours ago');
        expect(formatRelative(now + 3 * 86_400_000, now)).toBe('in 3 days');
    });

    test('formatProfile shows every field, a dash for the missing ones', () => {
        expect(formatProfile({ sub: '1', name: 'Ada', username: 'ada', email: 'a@x.test', emailVerified: true, department: 'R&D' })).toBe(
            '*Name:* Ada\n*Username:* ada\n*Email:* a@x.test\n*Department:* R&D\n*Job title:* —',
        );
    });

    test('formatStatus: valid, expired and unknown expiry', () => {
        const now = Date.UTC(2026, 0, 1, 12, 0);
        const identity = { sub: '1', name: 'Ada', username: 'ada', linkedAt: now - 86_400_000 };
        expect(formatStatus({ ...identity, accessTokenExpiresAt: now + 600_000 }, now, 0)).toBe(
            'Linked to HRM as Ada (ada) since 2025-12-31 12:00 UTC.\nThe access token expires in 10 minutes (2026-01-01 12:10 UTC); it is renewed automatically.',
        );
        expect(formatStatus({ ...identity, accessTokenExpiresAt: now - 60_000 }, now, 0)).toContain('The access token expired 1 minute ago; it will be renewed on next use.');
        expect(formatStatus(identity, now, 0)).toContain('did not say when the access token expires');
    });

    test('callback pages escape HTML', () => {
        expect(linkedPage('<script>x</script>')).toContain('&lt;script&gt;x&lt;/script&gt;');
        expect(linkedPage('<script>x</script>')).not.toContain('<script>');
        expect(cancelledPage()).toContain('HRM login cancelled');
    });
});

describe('login state (user id + one-time nonce)', () => {
    const { encodeLoginState, parseLoginState } = require('../../app-src/features/oauth/loginState') as typeof import('../../app-src/features/oauth/loginState');
    const nonce = 'n'.repeat(43);

    test('round trip, and anything else is refused', () => {
        expect(parseLoginState(encodeLoginState('aBc123', nonce))).toEqual({ userId: 'aBc123', nonce });
        for (const bad of [undefined, 42, '', 'aBc123', `.${nonce}`, 'aBc123.short', `a b.${nonce}`, `aBc123.${nonce}$`, `${'u'.repeat(65)}.${nonce}`, `x.${'n'.repeat(300)}`]) {
            expect(parseLoginState(bad)).toBeUndefined();
        }
    });
});
