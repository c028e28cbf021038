// A fresh install has no administrator: say, on the terminal and on the home page, exactly how to
// create the first one. Once an administrator exists the answer is remembered for a minute (the
// home page is public; it should not query the users collection on every view).
import type { UserStore } from '../../store/users';

export const FIRST_ADMIN_COMMAND = 'npx hrm-sso user create --username admin --email admin@example.com --name "Administrator" --admin';

export class FirstRun {
  private adminSeenAt = 0;

  constructor(private readonly users: UserStore, private readonly issuer: string) {}

  async needsFirstAdmin(now = Date.now()): Promise<boolean> {
    if (now - this.adminSeenAt < 60_000) return false;
    if (await this.users.hasActiveAdmin()) {
      this.adminSeenAt = now;
      return false;
    }
    return true;
  }

  /** The next step for the person who just ran `npm start`, or undefined when there is none. */
  async hint(): Promise<string | undefined> {
    if (!(await this.needsFirstAdmin())) return undefined;
    return `Next step: no administrator exists yet. In a second terminal run\n  ${FIRST_ADMIN_COMMAND}\n(it asks for a password), then sign in at ${this.issuer}/accounts/login/ and open ${this.issuer}/admin/ to connect Rocket.Chat.`;
  }
}
