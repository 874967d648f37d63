// A value a usage error echoes back, as it may be written to a terminal or a pod's log: its control
// characters (C0 and DEL: an ESC sequence typed in a flag's value) shown escaped (`\u001b`), never sent.

export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
