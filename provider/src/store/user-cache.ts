// Profiles for userinfo and introspection, reused for USER_CACHE_SECONDS so a valid token costs
// one database read. Safe because access is decided by the token document alone: deactivation,
// password resets and revocations mark tokens revoked at once; only profile edits show late.
import type { UserDoc } from '../db/schema';
import type { UserStore } from './users';

export class UserCache {
  private readonly entries = new Map<string, { user: UserDoc | null; until: number }>();

  constructor(
    private readonly users: UserStore,
    private readonly seconds: number,
  ) {}

  async byId(id: string): Promise<UserDoc | null> {
    const hit = this.entries.get(id);
    if (hit && hit.until > Date.now()) return hit.user;
    const user = await this.users.byId(id);
    if (this.seconds > 0) {
      if (this.entries.size >= 10_000) this.entries.clear();
      this.entries.set(id, { user, until: Date.now() + this.seconds * 1000 });
    }
    return user;
  }

  /** Not cached: only the HR claims' manager lookup uses it (scope hrm). */
  async byUsername(username: string): Promise<UserDoc | null> {
    return this.users.byUsername(username);
  }

  forget(id: string): void {
    this.entries.delete(id);
  }
}
