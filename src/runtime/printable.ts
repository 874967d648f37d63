// A value a usage error echoes back, as it may be written to a terminal or a pod's log: its control
// characters shown escaped (`\u001b`), never sent: C0 and DEL (an ESC sequence typed in a flag's value), C1
// (U+009B is a one-character CSI to some terminals, U+0085 a line break) and the line and paragraph
// separators U+2028/U+2029.

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
