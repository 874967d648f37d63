// Bytes in, lines out: one splitter per stream, because a chunk boundary can fall anywhere — in the middle
// of a line, and in the middle of a multi-byte UTF-8 character.
import { StringDecoder } from 'node:string_decoder';

/** Lines longer than this are cut: a program writing megabytes without a newline must not grow memory. */
export const DEFAULT_MAX_LINE_LENGTH = 8192;

export class LineSplitter {
  // A chunk may end inside a UTF-8 sequence; the decoder holds the partial bytes for the next chunk instead
  // of turning them into U+FFFD.
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private truncated = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineLength = DEFAULT_MAX_LINE_LENGTH,
  ) {}

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let start = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      this.append(text.slice(start, newline));
      this.emit();
      start = newline + 1;
    }
    this.append(text.slice(start));
  }

  /** The stream ended: a last line without a trailing newline is still a line. */
  end(): void {
    this.append(this.decoder.end());
    if (this.partial !== '' || this.truncated) this.emit();
  }

  private append(piece: string): void {
    if (this.truncated || piece === '') return;
    const room = this.maxLineLength - this.partial.length;
    if (piece.length <= room) {
      this.partial += piece;
    } else {
      this.partial += piece.slice(0, room);
      this.truncated = true; // the rest of this line is dropped up to its newline
    }
  }

  private emit(): void {
    let line = this.partial;
    if (line.endsWith('\r')) line = line.slice(0, -1); // CRLF from programs written for Windows
    if (this.truncated) line += '…';
    this.partial = '';
    this.truncated = false;
    this.onLine(line);
  }
}
