// Bytes in, whole lines out: one framer per stream of one process run. A chunk boundary can fall anywhere (in
// a line, in a UTF-8 sequence); the framer releases only complete lines, so a line written in several
// chunks is one line, and lines of two streams sharing a file never splice. It works on bytes, never
// decoding: binary output passes through unchanged, and the common case (no overlong line) costs one
// lastIndexOf per chunk.

/** A line longer than this many bytes (without its newline) is cut into pieces of at most this size. */
export const MAX_LINE_BYTES = 64 * 1024;
/** Ends every piece of a cut line but the last: "the line goes on on the next line". */
export const CUT_MARK = '…[cut]';
const CUT = Buffer.from(CUT_MARK, 'utf8');
const NL = 0x0a;

export class LineFramer {
  /** The start of a line whose newline has not come yet (always shorter than maxLine). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLine = MAX_LINE_BYTES) {
    if (!Number.isInteger(maxLine) || maxLine < 4)
      throw new RangeError(`maxLine must be >= 4, got ${maxLine}`);
  }

  /** Complete lines ending in this chunk, as one buffer of `\n`-terminated lines; null when none. */
  push(chunk: Buffer): Buffer | null {
    const nl = chunk.lastIndexOf(NL);
    if (nl === -1) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      return this.pendingBytes > this.maxLine ? this.cutPending() : null;
    }
    let block: Buffer;
    if (this.pendingBytes === 0) block = chunk.subarray(0, nl + 1);
    else {
      this.pending.push(chunk.subarray(0, nl + 1));
      block = Buffer.concat(this.pending, this.pendingBytes + nl + 1);
    }
    const rest = chunk.subarray(nl + 1);
    // Copy the remainder: a subarray would keep the whole chunk (often 64 KiB) alive for a few bytes.
    this.pending = rest.length > 0 ? [Buffer.from(rest)] : [];
    this.pendingBytes = rest.length;
    // No line of a block shorter than the limit can be too long: the usual case needs no scan.
    const out = block.length <= this.maxLine + 1 ? block : this.cutLongLines(block);
    if (this.pendingBytes > this.maxLine) return Buffer.concat([out, this.cutPending()]);
    return out;
  }

  /** The stream ended: a last line without its newline is still a line (a newline is added). */
  end(): Buffer | null {
    if (this.pendingBytes === 0) return null;
    const line = Buffer.concat([...this.pending, Buffer.from('\n')]);
    this.pending = [];
    this.pendingBytes = 0;
    return line;
  }

  /** The pending bytes exceed the limit: emit full pieces now, keep the remainder pending. */
  private cutPending(): Buffer {
    const all = Buffer.concat(this.pending, this.pendingBytes);
    const pieces: Buffer[] = [];
    let start = 0;
    while (all.length - start > this.maxLine) {
      const end = charBoundary(all, start + this.maxLine);
      pieces.push(all.subarray(start, end), CUT, NEWLINE);
      start = end;
    }
    const rest = Buffer.from(all.subarray(start));
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return Buffer.concat(pieces);
  }

  /** Rebuilds a block in which some line is longer than the limit. */
  private cutLongLines(block: Buffer): Buffer {
    const pieces: Buffer[] = [];
    let start = 0;
    while (start < block.length) {
      const nl = block.indexOf(NL, start);
      let lineStart = start;
      while (nl - lineStart > this.maxLine) {
        const end = charBoundary(block, lineStart + this.maxLine);
        pieces.push(block.subarray(lineStart, end), CUT, NEWLINE);
        lineStart = end;
      }
      pieces.push(block.subarray(lineStart, nl + 1));
      start = nl + 1;
    }
    return Buffer.concat(pieces);
  }
}

const NEWLINE = Buffer.from('\n');

/**
 * `at`, moved back to the start of a UTF-8 sequence if it falls inside one, so a cut never splits a
 * character (at most 3 bytes back; binary data that is not UTF-8 is cut where it falls).
 */
export function charBoundary(buf: Buffer, at: number): number {
  for (let i = at; i > at - 4 && i > 0; i--) {
    const byte = buf[i] as number;
    if ((byte & 0xc0) !== 0x80) return i; // not a continuation byte: a character starts here
  }
  return at;
}

/** The last `max` lines of a block of `\n`-terminated lines, decoded, without their newlines. */
export function lastLines(block: Buffer, max: number): string[] {
  const lines: string[] = [];
  let end = block.length - 1; // the final newline
  while (lines.length < max && end >= 0) {
    // lastIndexOf with a negative offset counts from the end: guard the first line.
    const start = end > 0 ? block.lastIndexOf(NL, end - 1) + 1 : 0;
    let line = block.toString('utf8', start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    lines.push(line);
    end = start - 1;
  }
  return lines.reverse();
}

/** Every line of a block of `\n`-terminated lines, decoded (binary turns into U+FFFD), without newlines. */
export function splitLines(block: Buffer): string[] {
  const text = block.toString('utf8');
  const lines = text.split('\n');
  lines.pop(); // after the final newline
  return lines;
}

/**
 * Reads `stream` through `framer`, handing `write` blocks of whole lines (the last, unterminated line when the
 * stream ends); resolves once the stream ended or closed. 'close' without 'end' means the pipe was destroyed
 * or failed; the 'error' listener is needed because an unhandled one would crash the process, and 'close'
 * always follows it. Shared by the daemon's file sinks and tend-runtime's stdout sinks.
 */
export function readFramed(
  stream: NodeJS.ReadableStream & { once(event: 'close', fn: () => void): unknown },
  framer: LineFramer,
  write: (block: Buffer | null) => void,
): Promise<void> {
  return new Promise<void>((ended) => {
    stream.on('data', (chunk: Buffer | string) => {
      write(framer.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    });
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      write(framer.end());
      ended();
    };
    stream.once('end', finish);
    stream.once('close', finish);
    stream.on('error', () => {});
  });
}
