// NDJSON framing: one JSON value per line. The decoder enforces a maximum frame size so a peer that never
// sends a newline cannot make the other side buffer without bound.

/** Largest request the daemon accepts (an ecosystem of many apps plus the CLI's environment fits easily). */
export const MAX_REQUEST_FRAME = 4 * 1024 * 1024;
/** Largest frame a client accepts (a list of hundreds of processes fits easily). */
export const MAX_RESPONSE_FRAME = 64 * 1024 * 1024;

export function encodeFrame(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

export type DecodeResult = { lines: string[]; overflow: boolean };

export class LineDecoder {
  // The unfinished frame in pieces, with its byte count kept as it grows: joining and measuring the whole
  // pending text on every chunk would cost O(n²) on a frame that arrives in many reads.
  private pending: string[] = [];
  private bytes = 0;
  private overflowed = false;
  constructor(private readonly maxFrame: number) {}

  /**
   * Splits a chunk into complete lines; `overflow` is set once a line grows past the limit, and from then
   * on nothing more is buffered (the peer is to be cut off, whatever it sends next).
   */
  push(chunk: string): DecodeResult {
    if (this.overflowed) return { lines: [], overflow: true };
    const lines: string[] = [];
    let from = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', from)) {
      const piece = chunk.slice(from, nl);
      this.bytes += Buffer.byteLength(piece);
      if (this.bytes > this.maxFrame) return this.overflow(lines);
      this.pending.push(piece);
      const line = this.pending.join('');
      this.pending = [];
      this.bytes = 0;
      if (line.length > 0) lines.push(line);
      from = nl + 1;
    }
    if (from < chunk.length) {
      const rest = chunk.slice(from);
      this.bytes += Buffer.byteLength(rest);
      if (this.bytes > this.maxFrame) return this.overflow(lines);
      this.pending.push(rest);
    }
    return { lines, overflow: false };
  }

  /** The lines completed before the overflow are still returned: a client may want its earlier replies. */
  private overflow(lines: string[]): DecodeResult {
    this.overflowed = true;
    this.pending = [];
    this.bytes = 0;
    return { lines, overflow: true };
  }

  /** Bytes of a frame that has started but not ended (a half-written frame when the peer hangs up). */
  get pendingBytes(): number {
    return this.bytes;
  }
}
