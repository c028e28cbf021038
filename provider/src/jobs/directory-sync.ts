// Scheduled directory sync (LDAP_SYNC_INTERVAL_SECONDS; off when 0 or LDAP_URL is unset). A run
// another instance holds is skipped; a failed run changes nothing and is retried next interval.
import type { Services } from '../domain/services';
import { runDirectorySync } from '../domain/people/directory/run';
import type { Logger } from '../kernel/log';

export class DirectorySyncJob {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(private readonly services: Services, private readonly log: Logger) {}

  start(): void {
    const { LDAP_URL, LDAP_SYNC_INTERVAL_SECONDS } = this.services.config;
    if (!LDAP_URL || LDAP_SYNC_INTERVAL_SECONDS === 0) return;
    this.timer = setInterval(() => this.tick(), LDAP_SYNC_INTERVAL_SECONDS * 1000);
    this.timer.unref();
  }

  private tick(): void {
    if (this.running) return;
    this.running = runDirectorySync(this.services, { trigger: 'schedule', dryRun: false, actor: 'directory-sync', log: this.log })
      .catch(() => undefined) // recorded as a failed run and logged by runDirectorySync
      .finally(() => (this.running = undefined));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
