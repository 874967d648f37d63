// The live log lines of the selected process in `tend monit`: its own connection with `logs.subscribe`
// (subscribed before reading: the reply's offsets are where the files end and the events begin), the last
// lines read from the files (logs/tail.ts), then the streamed lines. Closing the connection ends the
// subscription, so a new selection is a new feed.
import { connect, type TendClient } from '../client/client.js';
import { tailLines } from '../logs/tail.js';
import type { TendEvent } from '../protocol/events.js';

/** Lines kept in memory: more than any terminal shows. */
const KEEP = 500;

export interface LogLine {
  stream: 'out' | 'err' | null;
  text: string;
}

export class LogFeed {
  private client: TendClient | null = null;
  private closed = false;
  readonly lines: LogLine[] = [];

  constructor(
    private readonly home: string | undefined,
    private readonly id: number,
    private readonly onChange: () => void,
  ) {}

  async start(): Promise<void> {
    const client = await connect({ home: this.home, spawn: false, client: 'tend-monit' });
    if (this.closed) {
      await client.close();
      return;
    }
    this.client = client;
    const early: TendEvent[] = [];
    let ready = false;
    // Listen before subscribing: lines may arrive before the reply.
    client.listen((e) => (ready ? this.event(e) : early.push(e)));
    const { files } = await client.call('logs.subscribe', { target: [String(this.id)] });
    if (this.closed) return;
    const tails: { at: number; line: LogLine }[] = [];
    for (const f of files) {
      const stream = f.streams.length === 1 ? (f.streams[0] ?? null) : null;
      const { lines } = tailLines(f.path, { max: 100, end: f.offset, ino: f.ino });
      // Files are read one after the other; keep their order by position (no timestamps needed).
      lines.forEach((text, i) => {
        tails.push({ at: i - lines.length, line: { stream, text } });
      });
    }
    tails.sort((a, b) => a.at - b.at);
    this.push(tails.map((t) => t.line));
    ready = true;
    for (const e of early) this.event(e);
    this.onChange();
  }

  private event(e: TendEvent): void {
    if (e.event !== 'log.lines' || e.data.id !== this.id) return;
    this.push(e.data.lines.map((text) => ({ stream: e.data.stream, text })));
    this.onChange();
  }

  private push(lines: LogLine[]): void {
    this.lines.push(...lines);
    if (this.lines.length > KEEP) this.lines.splice(0, this.lines.length - KEEP);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.close();
  }
}
