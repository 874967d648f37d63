// The process list for `tend monit`: one `process.list` call about once a second while monit runs. The
// daemon samples CPU and memory from /proc only when asked, so when nobody runs monit it spends nothing.
import type { TendClient } from '../client/client.js';
import type { ProcessInfo } from '../protocol/process-info.js';

export const POLL_MS = 1000;

export class ProcessPoll {
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly client: TendClient,
    private readonly onList: (processes: ProcessInfo[]) => void,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    void this.tick();
  }

  private async tick(): Promise<void> {
    try {
      const { processes } = await this.client.call('process.list');
      if (this.closed) return;
      this.onList(processes);
    } catch (err) {
      if (this.closed) return;
      // Shown, and asked again: a daemon that went away ends monit through the connection instead.
      this.onError(err);
    }
    // The next call a second after this reply: a slow daemon is never asked twice at once.
    this.timer = setTimeout(() => void this.tick(), POLL_MS);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
