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
  private pending = '';
  constructor(private readonly maxFrame: number) {}

  /** Splits a chunk into complete lines; `overflow` is set once a line grows past the limit. */
  push(chunk: string): DecodeResult {
    const parts = (this.pending + chunk).split('\n');
    this.pending = parts.pop() ?? '';
    const lines = parts.filter((l) => l.length > 0);
    const overflow =
      Buffer.byteLength(this.pending) > this.maxFrame ||
      lines.some((l) => Buffer.byteLength(l) > this.maxFrame);
    return { lines, overflow };
  }

  /** Bytes of a frame that has started but not ended (a half-written frame when the peer hangs up). */
  get pendingBytes(): number {
    return this.pending.length;
  }
}
