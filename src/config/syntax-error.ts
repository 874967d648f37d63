// One line for a syntax error in a JavaScript ecosystem file. V8 puts the location of a CommonJS syntax
// error only in the stack (`/path/file.cjs:4`, the code line, a caret), and ES module errors carry none
// on Node 20, so read it from there when it is present.

import { pathToFileURL } from 'node:url';

/** `syntax error at line 4, column 5: Unexpected token '{'`, plus a hint for ESM syntax in CommonJS. */
export function describeSyntaxError(error: SyntaxError, file: string): string {
  return `syntax error${location(error, file)}: ${error.message}${esmHint(error)}`;
}

function location(error: SyntaxError, file: string): string {
  const [first = '', , caret = ''] = (error.stack ?? '').split('\n');
  const match = /^(.*):(\d+)$/.exec(first);
  if (!match || (match[1] !== file && match[1] !== pathToFileURL(file).href)) return '';
  const column = caret.indexOf('^');
  return ` at line ${match[2]}${column >= 0 ? `, column ${column + 1}` : ''}`;
}

function esmHint(error: SyntaxError): string {
  return /import statement outside a module|Unexpected token 'export'/.test(error.message)
    ? ' (ES module syntax in a CommonJS file: use .mjs or "type": "module" in package.json)'
    : '';
}
