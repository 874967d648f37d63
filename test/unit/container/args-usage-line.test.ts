// A usage error of node:util's parseArgs, in tend-runtime and `tend-runtime probe`, is one line that names
// the mistake (eighth audit): Node's "argument is ambiguous" came out as three lines ("Did you forget…",
// "To specify an option argument starting with a dash use '--x=-XYZ'") for a value that starts with a dash
// and for a value forgotten before the next flag alike.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRuntimeArgs } from '../../../src/container/args.js';
import { parseProbeArgs } from '../../../src/container/probe.js';
import { isTendError } from '../../../src/protocol/errors.js';

/** The usage error's text, which must be one line. */
function runtimeUsage(argv: string[]): string {
  try {
    parseRuntimeArgs(argv, {});
  } catch (e) {
    assert.ok(isTendError(e) && e.code === 'TEND_ERR_USAGE', String(e));
    assert.doesNotMatch(e.message, /\n/);
    return e.message;
  }
  assert.fail(`${argv.join(' ')}: no usage error`);
}

function probeUsage(argv: string[]): string {
  try {
    parseProbeArgs(argv, {});
  } catch (e) {
    assert.ok(e instanceof Error);
    assert.doesNotMatch(e.message, /\n/);
    return e.message;
  }
  assert.fail(`probe ${argv.join(' ')}: no usage error`);
}

describe('tend-runtime: parseArgs errors as one usage line', () => {
  test('a value that starts with a dash: the joined form that works, with the value as given', () => {
    // A duration or a size is never negative: refused as such, where the joined form was advised and then
    // refused too (ninth audit).
    assert.equal(
      runtimeUsage(['a.js', '--grace-period', '-1s']),
      '--grace-period -1s: expected a duration, such as 25s, not negative (see "tend-runtime --help")',
    );
    assert.equal(
      runtimeUsage(['a.js', '--grace-period=-1s']),
      '--grace-period -1s: expected a duration such as 500ms, 25s or 1m, not negative (0 for none) (see "tend-runtime --help")',
    );
    assert.match(
      runtimeUsage(['a.js', '--max-memory-restart', '-5M']),
      /^--max-memory-restart -5M: expected a size, such as 300M, not negative /,
    );
    assert.equal(
      runtimeUsage(['a.js', '--node-args', '--max-old-space-size=100']),
      '--node-args: a value starting with "-" must be written --node-args=--max-old-space-size=100 (see "tend-runtime --help")',
    );
    // A short flag: the long name in the joined form; a value the shell would split: quoted.
    assert.match(
      runtimeUsage(['a.js', '-n', '-api']),
      /^-n: a value starting with "-" must be written --name=-api /,
    );
    assert.match(
      runtimeUsage(['a.js', '--node-args', '--inspect --trace-warnings']),
      /must be written '--node-args=--inspect --trace-warnings' /,
    );
    // What works does: the joined forms, and -i -1 (PM2's "all CPUs but one").
    const r = parseRuntimeArgs(['a.js', '--node-args=--max-old-space-size=100', '-i', '-1'], {});
    assert.ok(r.help === false);
    assert.deepEqual(r.options.appFields, { node_args: '--max-old-space-size=100', instances: -1 });
  });

  test('a value forgotten (the next word is a flag, or nothing follows): "expected a value", and what it is', () => {
    assert.equal(
      runtimeUsage(['a.js', '--only', '--no-deps']),
      '--only: expected a value (app names, comma-separated) (see "tend-runtime --help")',
    );
    assert.match(
      runtimeUsage(['a.js', '--health-listen']),
      /^--health-listen: expected a value \(host:port, or off\) /,
    );
    assert.match(runtimeUsage(['a.js', '-n', '--json']), /^-n: expected a value \(an app name\) /);
    assert.match(runtimeUsage(['a.js', '--env', '--']), /^--env: expected a value /);
  });

  test("other parseArgs errors keep Node's first sentence, on one line", () => {
    assert.match(
      runtimeUsage(['a.js', '--bogus']),
      /^Unknown option '--bogus' \(see "tend-runtime --help"\)$/,
    );
    assert.match(runtimeUsage(['a.js', '--json=yes']), /^--json: takes no value, got --json=yes /);
  });
});

describe('tend-runtime probe: parseArgs errors as one usage line', () => {
  test('--app before another flag, or last: expected a value (an app name)', () => {
    assert.equal(
      probeUsage(['--app', '--health-listen', '127.0.0.1:9712']),
      '--app: expected a value (an app name)',
    );
    assert.equal(probeUsage(['--app']), '--app: expected a value (an app name)');
    // No app can have that name (tenth audit: asked, then a false note that ?app= was ignored).
    assert.equal(probeUsage(['--app', 'sr v']), '--app sr v: expected a name without "/" or whitespace');
    assert.equal(
      probeUsage(['--health-listen', '-x']),
      '--health-listen: a value starting with "-" must be written --health-listen=-x',
    );
  });

  test('unknown options and positionals: as before, one line', () => {
    assert.equal(probeUsage(['--bogus']), "Unknown option '--bogus'");
    assert.match(probeUsage(['extra']), /^Unexpected argument 'extra'/);
    assert.equal(probeUsage(['--ready=no']), '--ready: takes no value, got --ready=no');
  });
});

test('a control character in a value is shown escaped, never written as is', () => {
  assert.equal(
    runtimeUsage(['a.js', '--grace-period', '\u001b[31m']),
    '--grace-period \\u001b[31m: expected a duration such as 500ms, 25s or 1m (see "tend-runtime --help")',
  );
  assert.match(probeUsage(['--health-listen', 'x\u001b[2J']), /x\\u001b\[2J/);
  // C1 (U+009B is a CSI by itself) and the line separators too (its verification).
  assert.match(
    runtimeUsage(['a.js', '--grace-period', 'a\u009b31m\u0085\u2028']),
    /^--grace-period a\\u009b31m\\u0085\\u2028: /,
  );
});
