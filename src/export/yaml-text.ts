// The YAML of k8s.yaml and compose.yaml. Readers differ: kubectl's and compose's parsers descend from YAML
// 1.1 (`yes`, `on`, `0777` octal, `1:20` sexagesimal, `2001-12-14` a timestamp) or 1.2 (`0o17` octal, `0x10`),
// and a string one of them reads as a number, a boolean, a date or null changes meaning (an env value `0o17`
// became 15). Every string scalar, key or value, that either version would not read back as the same
// string is double-quoted.
import { Document, parse, Scalar, visit } from 'yaml';

function readsBackAs(text: string, version: '1.1' | '1.2'): boolean {
  try {
    return parse(text, { version, logLevel: 'silent' }) === text;
  } catch {
    return false;
  }
}

/** Whether a plain (unquoted) `text` could be read as something else by a YAML 1.1 or 1.2 reader. */
export function needsQuotes(text: string): boolean {
  // `<<` is a merge key and `=` the value key to some 1.1 readers; neither reads back as itself there.
  if (text === '<<' || text === '=') return true;
  return !readsBackAs(text, '1.1') || !readsBackAs(text, '1.2');
}

export function yamlText(value: unknown): string {
  const doc = new Document(value, { version: '1.1', aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && node.type !== Scalar.BLOCK_LITERAL && needsQuotes(node.value))
        node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0 });
}
