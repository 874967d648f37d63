// Commands the warnings print for the user to paste (`kubectl create secret generic … --from-env-file=<path>`):
// each word quoted for a POSIX shell, so a path with a blank, `$dir` or `$(…)` in it reaches kubectl as one
// word, unexpanded (fifth audit: the path was printed as it is).

/** `word` as one word of a POSIX shell: as it is when it holds only safe characters, else single-quoted. */
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", "'\\''")}'`;
}
