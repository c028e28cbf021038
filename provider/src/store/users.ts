// HRM accounts: creation with validation, password checks, deactivation.
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../db/connect';
import type { UserDoc } from '../db/schema';
import { AppError } from '../errors';
import { hashPassword, verifyPassword } from '../security/passwords';

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'username must be 1–64 characters: letters, digits, dot, dash or underscore, starting with a letter or digit');
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

export class UserStore {
  constructor(private readonly db: Database, private readonly passwordCost: number) {}

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
      passwordHash: u.password ? await hashPassword(u.password, this.passwordCost) : undefined,
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

  async byId(id: string): Promise<UserDoc | null> {
    return typeof id === 'string' ? this.db.users.findOne({ _id: id }) : null;
  }

  async byUsername(username: string): Promise<UserDoc | null> {
    const parsed = usernameSchema.safeParse(username);
    return parsed.success ? this.db.users.findOne({ username: parsed.data }) : null;
  }

  async require(username: string): Promise<UserDoc> {
    const user = await this.byUsername(username);
    if (!user) throw new AppError('unknown_user', `No user named "${username}".`, 404);
    return user;
  }

  /** Returns the active user whose password matches, or null (same timing either way). */
  async authenticate(username: unknown, password: unknown): Promise<UserDoc | null> {
    if (typeof username !== 'string' || typeof password !== 'string' || password.length > 1024) return null;
    const user = await this.byUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash);
    return ok && user && user.active ? user : null;
  }

  async setPassword(username: string, password: string): Promise<void> {
    if (typeof password !== 'string' || password.length < 8 || password.length > 1024) {
      throw new AppError('invalid_password', 'password must be at least 8 characters');
    }
    const user = await this.require(username);
    const passwordHash = await hashPassword(password, this.passwordCost);
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
export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: number; message?: string };
  return e?.code === 11000 || /E11000|UNIQUE constraint failed/.test(e?.message ?? '');
}
