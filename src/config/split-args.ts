// Splits an argument string (`args: '--port 3000 --name "my app"'`) the way a POSIX shell would for
// words and quotes, without expansion: users paste command lines, and a naive split(' ') would break
// quoted values apart. No variables, globs or operators: what is written is what the program receives.

/** The words of `text`, or null when a quote is left open. */
export function splitArgs(text: string): string[] | null {
  const words: string[] = [];
  let word = '';
  // A word exists once any character or a quote pair was seen: `''` is an (empty) argument.
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1] as string))
        word += text[++i];
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) return null;
  if (inWord) words.push(word);
  return words;
}
