// Stops a server a test started: SIGTERM, then SIGKILL if it has not exited within the grace.
// The grace timer is cleared as soon as the child exits: a pending one kept the jest worker alive
// after its last file ("a worker process has failed to exit gracefully and has been force exited").
import type { ChildProcess } from 'node:child_process';

export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  let deadline: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise<void>((resolve) => (deadline = setTimeout(resolve, graceMs)))]);
  clearTimeout(deadline);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
