// Syntax errors are described from V8's own errors; compiled with vm here because the test runner's
// TypeScript loader rewrites JavaScript files that Node alone would reject.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import { describeSyntaxError } from '../../../src/config/syntax-error.js';

function syntaxErrorOf(code: string, filename: string): SyntaxError {
  try {
    new vm.Script(code, { filename });
  } catch (e) {
    if (e instanceof SyntaxError) return e;
    throw e;
  }
  return assert.fail('the code compiled');
}

describe('describeSyntaxError', () => {
  it('reads line and column from the stack', () => {
    const e = syntaxErrorOf('module.exports = {\n  apps: [\n    {}\n    {}\n  ]\n};\n', '/srv/e.config.cjs');
    assert.equal(
      describeSyntaxError(e, '/srv/e.config.cjs'),
      "syntax error at line 4, column 5: Unexpected token '{'",
    );
  });

  it('gives no location when the stack is about another file', () => {
    const e = syntaxErrorOf('(', '/srv/other.cjs');
    assert.equal(describeSyntaxError(e, '/srv/e.config.cjs'), 'syntax error: Unexpected end of input');
  });

  it('hints at ES module syntax in a CommonJS file', () => {
    const e = syntaxErrorOf('export default { apps: [] };\n', '/srv/ecosystem.config.js');
    assert.equal(
      describeSyntaxError(e, '/srv/ecosystem.config.js'),
      "syntax error at line 1, column 1: Unexpected token 'export' " +
        '(ES module syntax in a CommonJS file: use .mjs or "type": "module" in package.json)',
    );
    const imported = new SyntaxError('Cannot use import statement outside a module');
    assert.match(describeSyntaxError(imported, '/srv/x.js'), /\(ES module syntax in a CommonJS file/);
  });
});
