// `user …`: HRM accounts.
import { Command, Option } from 'commander';
import { table, userJson } from './output';
import { readPassword } from './prompt';
import { withServices } from './context';
import type { GlobalOptions } from './options';
import { endUserAccess } from '../store/user-access';
import { AppError } from '../kernel/errors';
import { UsageError } from './output';
import type { UserStore } from '../store/users';
import { addEmploymentOptions, applyEmploymentFromCli, employmentJson, takeEmploymentOptions } from './hr';
import { twoFactorCommands } from './two-factor';
import { inviteCommands, invitationJson, invitationLines } from './invitations';
import { inviteUser } from '../domain/accounts/invitations';
import { sendNotice } from '../domain/accounts/notices';

interface CreateOptions {
  username: string;
  email: string;
  name: string;
  password?: string;
  passwordStdin?: boolean;
  department?: string;
  jobTitle?: string;
  admin?: boolean;
  invite?: boolean;
}

interface EditOptions {
  email?: string;
  name?: string;
  givenName?: string;
  familyName?: string;
  department?: string;
  jobTitle?: string;
  admin?: boolean;
}

/** Kept only to refuse it with a pointer to --password-stdin (commander would say "unknown option"). */
const refusedPasswordFlag = () => new Option('--password <password>').hideHelp();

export function userCommands(program: Command, globals: () => GlobalOptions): void {
  const user = program.command('user').description('manage HRM user accounts');

  user
    .command('create')
    .description('create a user (prompts for the password without echo, reads it with --password-stdin, or --invite: they choose it through a one-time link)')
    .requiredOption('--username <username>', 'login name (lower-cased; letters, digits, . _ -)')
    .requiredOption('--email <email>', 'email address (unique)')
    .requiredOption('--name <name>', 'full name')
    .option('--password-stdin', 'read the password (at least 8 characters) from the first line of standard input')
    .addOption(refusedPasswordFlag())
    .option('--department <department>', 'department')
    .option('--job-title <title>', 'job title')
    .option('--admin', 'may use the admin pages', false)
    .option('--invite', 'no password: mail a one-time "set your password" link (or print it when SMTP_URL is unset)')
    .action(async (opts: CreateOptions) => {
      if (opts.invite && opts.passwordStdin) throw new UsageError('--invite and --password-stdin exclude each other: an invited user chooses their own password.');
      // Ask before connecting, so a typo in the prompt doesn't wait on the database.
      const password = opts.invite ? (opts.password !== undefined ? await readPassword('Password', { refusedFlag: opts.password }) : undefined) : await readPassword('Password', { stdin: opts.passwordStdin, refusedFlag: opts.password });
      await withServices(globals().json, async (services) => {
        const { users, audit, out } = services;
        const doc = await users
          .create({
            username: opts.username,
            email: opts.email,
            name: opts.name,
            password,
            department: opts.department,
            jobTitle: opts.jobTitle,
            admin: Boolean(opts.admin),
          })
          .catch(async (err) => {
            throw await clarifyDuplicate(err, opts, users);
          });
        await audit.record('cli', 'user.create', doc.username, { id: doc._id, admin: doc.admin, invited: Boolean(opts.invite) });
        if (!opts.invite) return out.result(userJson(doc), () => [`Created user ${doc.username} (id ${doc._id}${doc.admin ? ', admin' : ''}).`]);
        const invite = await inviteUser(services, doc, { by: 'cli' });
        out.result({ ...userJson(doc), invitation: invitationJson(invite) }, () => [`Created user ${doc.username} (id ${doc._id}${doc.admin ? ', admin' : ''}).`, ...invitationLines(doc.username, doc.email, invite)]);
      });
    });

  user
    .command('list')
    .description('list every user')
    .action(async () => {
      await withServices(globals().json, async ({ users, out }) => {
        const docs = await users.list();
        out.result(docs.map(userJson), () =>
          docs.length === 0
            ? ['No users.']
            : table(
                ['USERNAME', 'EMAIL', 'NAME', 'DEPARTMENT', 'JOB TITLE', 'ADMIN', 'ACTIVE'],
                docs.map((u) => [u.username, u.email, u.name, u.department ?? '', u.jobTitle ?? '', u.admin ? 'yes' : 'no', u.active ? 'yes' : 'no']),
              ),
        );
      });
    });

  user
    .command('set-password')
    .description("replace a user's password (prompts without echo, or reads it with --password-stdin)")
    .argument('<username>', 'the user')
    .option('--password-stdin', 'read the new password from the first line of standard input')
    .addOption(refusedPasswordFlag())
    .action(async (username: string, opts: { password?: string; passwordStdin?: boolean }) => {
      const password = await readPassword('New password', { stdin: opts.passwordStdin, refusedFlag: opts.password });
      await withServices(globals().json, async (services) => {
        const { users, tokens, db, audit, out } = services;
        const doc = await users.require(username);
        await users.setPassword(doc.username, password);
        // A new password ends every session, token, code and consent the old one granted.
        const { tokensRevoked } = await endUserAccess(db, tokens, doc._id);
        await audit.record('cli', 'user.set_password', doc.username, { id: doc._id, tokensRevoked });
        await services.twoFactorLockouts.clear(doc._id);
        await sendNotice(services, doc, 'password_changed', { by: 'admin', othersSignedOut: true });
        out.result({ id: doc._id, username: doc.username, password_changed: true }, () => [`Password changed for ${doc.username}.`]);
      });
    });

  user
    .command('deactivate')
    .description('block a user from signing in and revoke their tokens')
    .argument('<username>', 'the user')
    .action(async (username: string) => {
      await withServices(globals().json, async ({ users, tokens, db, audit, out }) => {
        const doc = await users.setActive(username, false);
        // Deactivation should end access now, not when the tokens expire.
        const revoked = (await endUserAccess(db, tokens, doc._id)).tokensRevoked;
        await audit.record('cli', 'user.deactivate', doc.username, { id: doc._id, tokensRevoked: revoked });
        out.result({ ...userJson(doc), tokens_revoked: revoked }, () => [
          `Deactivated ${doc.username}; ${revoked} access token${revoked === 1 ? '' : 's'} revoked.`,
        ]);
      });
    });

  addEmploymentOptions(user
    .command('edit')
    .description("change a user's profile (username and id never change)")
    .argument('<username>', 'the user')
    .option('--email <email>', 'email address (unique)')
    .option('--name <name>', 'full name')
    .option('--given-name <name>', 'given name')
    .option('--family-name <name>', 'family name')
    .option('--department <department>', 'department ("" clears it)')
    .option('--job-title <title>', 'job title ("" clears it)')
    .option('--admin', 'may use the admin pages')
    .option('--no-admin', 'may not use the admin pages'))
    .action(async (username: string, opts: EditOptions) => {
      // HR lifecycle flags (hr/cli.ts) are applied by hr/employment.ts, the rest by the user store.
      const { employment, rest: changes } = takeEmploymentOptions(opts as Record<string, unknown>);
      if (Object.keys(changes).length === 0 && Object.keys(employment).length === 0) throw new UsageError('Nothing to change: give at least one of --email, --name, --given-name, --family-name, --department, --job-title, --admin/--no-admin, --status, --leave-until, --left-at, --manager, --employee-number, --teams, --picture-url, --hr-roles.');
      await withServices(globals().json, async (services) => {
        const { users, audit, out } = services;
        const doc = await users.require(username);
        let updated = doc;
        if (Object.keys(changes).length > 0) {
          updated = await users.update(doc._id, changes);
          await audit.record('cli', 'user.edit', updated.username, { id: updated._id, fields: Object.keys(changes) });
        }
        const hr = Object.keys(employment).length > 0 ? await applyEmploymentFromCli(services, updated, employment) : undefined;
        if (hr) updated = hr.user;
        const changed = [...Object.keys(changes), ...Object.keys(employment)];
        out.result(hr ? { ...userJson(updated), ...employmentJson(updated) } : userJson(updated), () => [`Updated ${updated.username}: ${changed.join(', ')}.`, ...(hr?.lines ?? [])]);
      });
    });

  user
    .command('reactivate')
    .description('allow a deactivated user to sign in again (their old tokens stay revoked)')
    .argument('<username>', 'the user')
    .action(async (username: string) => {
      await withServices(globals().json, async ({ users, audit, out }) => {
        const before = await users.require(username);
        const doc = before.active ? before : await users.setActive(before.username, true);
        if (!before.active) await audit.record('cli', 'user.reactivate', doc.username, { id: doc._id });
        out.result(userJson(doc), () => [before.active ? `${doc.username} is already active.` : `Reactivated ${doc.username}; they can sign in again.`]);
      });
    });

  twoFactorCommands(user, globals);
  inviteCommands(user, globals);
}

/**
 * FerretDB's duplicate-key error names no index, so the store reports every clash as a
 * duplicate username; if that username is in fact free, the clash was the email.
 */
async function clarifyDuplicate(err: unknown, opts: CreateOptions, users: UserStore): Promise<unknown> {
  if (!(err instanceof AppError) || err.code !== 'duplicate_username') return err;
  if (await users.byUsername(opts.username)) return err;
  return new AppError('duplicate_email', `A user with email "${opts.email.trim().toLowerCase()}" already exists.`, 409);
}
