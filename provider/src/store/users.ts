// HRM accounts: creation with validation, password checks, deactivation.
import { isDuplicateKey } from '../db/errors';
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Filter } from 'mongodb';
import type { Database } from '../db/connect';
import type { UserDoc } from '../db/schema';
import { AppError } from '../kernel/errors';
import { containsText } from '../kernel/text-match';
import { hashPassword, needsRehash, verifyPassword, type ScryptCost } from '../kernel/security/passwords';

/**
 * The one spelling of an account name: NFKC (full-width and compatibility forms fold to ASCII),
 * lower-case, without leading/trailing whitespace or invisible format characters (U+3000, NBSP,
 * tabs, zero-width spaces…). The user lookup and the login rate limiter both key on this, so a
 * padded or look-alike spelling is the same account for both.
 */
export function normaliseUsername(raw: string): string {
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFKC')
    .replace(/^[\s\p{Cf}\p{Cc}]+|[\s\p{Cf}\p{Cc}]+$/gu, '');
}

export const usernameSchema = z
  .string()
  .max(1024)
  .transform(normaliseUsername)
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'username must be 1–64 characters: letters, digits, dot, dash or underscore, starting with a letter or digit'));
const optionalText = z.string().trim().max(200).optional();

export const newUserSchema = z.object({
  username: usernameSchema,
  email: z.string().trim().toLowerCase().email('email must be a valid address').max(254),
  name: z.string().trim().min(1, 'name is required').max(200),
  givenName: optionalText,
  familyName: optionalText,
  department: optionalText,
  jobTitle: optionalText,
  password: z.string().min(8, 'password must be at least 8 characters').max(1024).optional(),
  admin: z.boolean().default(false),
});
export type NewUser = z.input<typeof newUserSchema>;

export const profileUpdateSchema = newUserSchema.pick({ email: true, name: true, givenName: true, familyName: true, department: true, jobTitle: true, admin: true }).partial();

export function zodMessage(err: z.ZodError): string {
  return err.issues.map((i) => i.message).join('; ');
}

/** Why a sign-in failed (for the log only; users always see one message). */
/** Who the company directory lists: active users who have not left. */
const DIRECTORY_LISTED = { active: true, employmentStatus: { $ne: 'left' as const } };

export type AuthFailure = 'unknown_user' | 'wrong_password' | 'inactive' | 'bad_input';
export type AuthResult = { ok: true; user: UserDoc } | { ok: false; reason: AuthFailure; user?: UserDoc };

export class UserStore {
  private readonly scrypt: ScryptCost;

  constructor(private readonly db: Database, passwordCost: number, passwordParallelism = 1) {
    this.scrypt = { cost: passwordCost, parallelism: passwordParallelism };
  }

  async create(input: NewUser): Promise<UserDoc> {
    const parsed = newUserSchema.safeParse(input);
    if (!parsed.success) throw new AppError('invalid_user', zodMessage(parsed.error));
    const u = parsed.data;
    const [given, ...rest] = u.name.split(/\s+/);
    const now = new Date();
    const doc: UserDoc = {
      _id: crypto.randomUUID(),
      username: u.username,
      email: u.email,
      name: u.name,
      givenName: u.givenName ?? given,
      familyName: u.familyName ?? (rest.join(' ') || undefined),
      department: u.department,
      jobTitle: u.jobTitle,
      passwordHash: u.password ? await hashPassword(u.password, this.scrypt) : undefined,
      admin: u.admin,
      active: true,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.db.users.insertOne(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      throw await this.whichDuplicate(u.username, u.email);
    }
    return doc;
  }

  /** Neither server reliably names the violated index, so ask which value is taken. */
  private async whichDuplicate(username: string, email: string): Promise<AppError> {
    if (await this.db.users.findOne({ username })) return new AppError('duplicate_username', `A user named "${username}" already exists.`, 409);
    return new AppError('duplicate_email', `A user with email "${email}" already exists.`, 409);
  }

  async list(): Promise<UserDoc[]> {
    return this.db.users.find({}, { sort: { username: 1 } }).toArray();
  }

  /** Is there an active administrator? (A fresh install has none: the first-run hint.) */
  async hasActiveAdmin(): Promise<boolean> {
    return (await this.db.users.countDocuments({ admin: true, active: true }, { limit: 1 })) > 0;
  }

  async byId(id: string): Promise<UserDoc | null> {
    return typeof id === 'string' ? this.db.users.findOne({ _id: id }) : null;
  }

  /** Users whose id is among `ids` (one `_id $in` read). */
  async byIds(ids: string[]): Promise<UserDoc[]> {
    return ids.length ? this.db.users.find({ _id: { $in: ids } }).toArray() : [];
  }

  /** Users whose (already normalised) username is among `usernames` (one `$in` read). */
  async byUsernames(usernames: string[]): Promise<UserDoc[]> {
    return usernames.length ? this.db.users.find({ username: { $in: usernames } }).toArray() : [];
  }

  /** Whether another user than `ownId` has this (already normalised) email. */
  async emailTakenByOther(email: string, ownId: string): Promise<boolean> {
    return (await this.db.users.findOne({ email, _id: { $ne: ownId } }, { projection: { _id: 1 } })) !== null;
  }

  async counts(): Promise<{ users: number; activeUsers: number }> {
    const [users, activeUsers] = await Promise.all([this.db.users.countDocuments({}), this.db.users.countDocuments({ active: true })]);
    return { users, activeUsers };
  }

  /** Every department and team named on an active user (distinct raw values; non-strings dropped). */
  async activeDepartmentsAndTeams(): Promise<{ departments: string[]; teams: string[] }> {
    const [departments, teams] = await Promise.all([this.db.users.distinct('department', { active: true }), this.db.users.distinct('teams', { active: true })]);
    const strings = (values: unknown[]) => values.filter((v): v is string => typeof v === 'string');
    return { departments: strings(departments), teams: strings(teams) };
  }

  /**
   * The company directory: one page of listed people, by name, and how many are listed. With
   * `text`: those whose name, username, department or job title contains it (case-insensitive,
   * literally: kernel/text-match.ts) or who are in the team of that name.
   */
  async searchDirectory(text: string, page: number, size: number): Promise<{ total: number; people: UserDoc[] }> {
    const filter: Filter<UserDoc> = text
      ? { ...DIRECTORY_LISTED, $or: [{ name: containsText(text) }, { username: containsText(text) }, { department: containsText(text) }, { jobTitle: containsText(text) }, { teams: normaliseUsername(text) }] }
      : DIRECTORY_LISTED;
    const [total, people] = await Promise.all([this.db.users.countDocuments(filter), this.db.users.find(filter, { sort: { name: 1, username: 1 }, skip: (page - 1) * size, limit: size }).toArray()]);
    return { total, people };
  }

  /** A listed person (directory) by normalised username. */
  async listedByUsername(username: string): Promise<UserDoc | null> {
    return this.db.users.findOne({ ...DIRECTORY_LISTED, username });
  }

  /** Exact lookup by the stored (normalised) username, without parsing (managers, directory). */
  async byStoredUsername(username: string): Promise<UserDoc | null> {
    return this.db.users.findOne({ username });
  }

  async byUsername(username: string): Promise<UserDoc | null> {
    const parsed = usernameSchema.safeParse(username);
    return parsed.success ? this.db.users.findOne({ username: parsed.data }) : null;
  }

  /** The account with this e-mail address (compared lower-case, as stored). */
  async byEmail(email: string): Promise<UserDoc | null> {
    return typeof email === 'string' && email.length <= 254 ? this.db.users.findOne({ email: email.trim().toLowerCase() }) : null;
  }

  async require(username: string): Promise<UserDoc> {
    const user = await this.byUsername(username);
    if (!user) throw new AppError('unknown_user', `No user named "${username}".`, 404);
    return user;
  }

  /** Returns the active user whose password matches, or null (same timing either way). */
  async authenticate(username: unknown, password: unknown): Promise<UserDoc | null> {
    const result = await this.checkPassword(username, password);
    return result.ok ? result.user : null;
  }

  /**
   * The password check with the reason it failed. Unknown users cost the same scrypt work at the
   * configured cost; a correct password stored at a lower cost is re-hashed at the current one.
   */
  async checkPassword(username: unknown, password: unknown): Promise<AuthResult> {
    if (typeof username !== 'string' || typeof password !== 'string' || password.length > 1024) return { ok: false, reason: 'bad_input' };
    const user = await this.byUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash, this.scrypt);
    if (!user) return { ok: false, reason: 'unknown_user' };
    if (!ok) return { ok: false, reason: 'wrong_password', user };
    if (!user.active) return { ok: false, reason: 'inactive', user };
    if (needsRehash(user.passwordHash, this.scrypt)) await this.rehash(user, password);
    return { ok: true, user };
  }

  /** Only replaces the hash that was checked, so a concurrent password change wins. */
  private async rehash(user: UserDoc, password: string): Promise<void> {
    const passwordHash = await hashPassword(password, this.scrypt);
    await this.db.users.updateOne({ _id: user._id, passwordHash: user.passwordHash }, { $set: { passwordHash } });
  }

  async setPassword(username: string, password: string): Promise<void> {
    if (typeof password !== 'string' || password.length < 8 || password.length > 1024) {
      throw new AppError('invalid_password', 'password must be at least 8 characters');
    }
    const user = await this.require(username);
    const passwordHash = await hashPassword(password, this.scrypt);
    await this.db.users.updateOne({ _id: user._id }, { $set: { passwordHash, updatedAt: new Date() } });
  }

  async update(id: string, changes: z.input<typeof profileUpdateSchema>): Promise<UserDoc> {
    const parsed = profileUpdateSchema.safeParse(changes);
    if (!parsed.success) throw new AppError('invalid_user', zodMessage(parsed.error));
    let updated: UserDoc | null;
    try {
      updated = await this.db.users.findOneAndUpdate({ _id: id }, { $set: { ...parsed.data, updatedAt: new Date() } }, { returnDocument: 'after' });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      throw new AppError('duplicate_email', `A user with email "${parsed.data.email}" already exists.`, 409);
    }
    if (!updated) throw new AppError('unknown_user', 'No such user.', 404);
    return updated;
  }

  /** The person's page and mail language; undefined clears it (the browser's language applies). Not HR data: updatedAt stays. */
  async setLanguage(id: string, language: string | undefined): Promise<void> {
    await this.db.users.updateOne({ _id: id }, language ? { $set: { language } } : { $unset: { language: '' } });
  }

  /** Undoes a creation whose next step failed (an import row): only for an account made moments ago. */
  async removeJustCreated(id: string): Promise<void> {
    await this.db.users.deleteOne({ _id: id });
  }

  async setActive(username: string, active: boolean): Promise<UserDoc> {
    const user = await this.require(username);
    await this.db.users.updateOne({ _id: user._id }, { $set: { active, updatedAt: new Date() } });
    return { ...user, active };
  }
}

/**
 * A unique-index violation. MongoDB reports code 11000; FerretDB does for inserts, but reports
 * updates as an InternalError whose message names the SQLite UNIQUE constraint.
 */
