// tend-runtime's command line: defaults, durations in tend's grammar, --health-listen and its variable,
// pm2-runtime's flags, and usage errors (TEND_ERR_USAGE).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_GRACE_MS, parseRuntimeArgs, type RuntimeOptions } from '../../../src/container/args.js';
import { isTendError } from '../../../src/protocol/errors.js';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}): RuntimeOptions => {
  const r = parseRuntimeArgs(argv, env);
  assert.equal(r.help, false);
  return (r as { options: RuntimeOptions }).options;
};
const usage = (argv: string[], re: RegExp, env: NodeJS.ProcessEnv = {}) =>
  assert.throws(
    () => parseRuntimeArgs(argv, env),
    (e) => isTendError(e) && e.code === 'TEND_ERR_USAGE' && re.test(e.message),
  );

describe('tend-runtime arguments', () => {
  test('defaults', () => {
    assert.deepEqual(parse(['app.js']), {
      target: 'app.js',
      scriptArgs: [],
      only: null,
      envName: null,
      restart: null,
      graceMs: DEFAULT_GRACE_MS,
      shutdownDelayMs: 0,
      healthListen: '127.0.0.1:9616',
      healthExplicit: false,
      logFormat: null,
      autoExit: true,
      control: false,
      warnings: [],
    });
    assert.equal(parseRuntimeArgs(['--help']).help, true);
    assert.equal(parseRuntimeArgs(['-h']).help, true);
  });

  test('flags, script arguments after --, pm2-runtime forms', () => {
    const o = parse([
      'eco.config.js',
      '--only',
      'api,worker',
      '--only',
      'db',
      '--env',
      'production',
      '--restart',
      'policy',
      '--grace-period',
      '1.5m',
      '--shutdown-delay',
      '5s',
      '--health-listen',
      '0.0.0.0:9700',
      '--log-format',
      'json',
      '--no-auto-exit',
    ]);
    assert.deepEqual(
      [o.only, o.envName, o.restart, o.graceMs, o.shutdownDelayMs, o.healthListen, o.logFormat, o.autoExit],
      [['api', 'worker', 'db'], 'production', 'policy', 90_000, 5000, '0.0.0.0:9700', 'json', false],
    );
    assert.deepEqual(parse(['app.js', '--', '--port', '3000']).scriptArgs, ['--port', '3000']);
    assert.equal(parse(['start', 'eco.config.js']).target, 'eco.config.js');
    assert.equal(parse(['app.js', '--json']).logFormat, 'json');
    assert.equal(parse(['app.js', '--format']).logFormat, 'prefixed');
    assert.equal(parse(['app.js', '--raw']).logFormat, 'raw');
    assert.deepEqual(parse(['app.js', '--public', 'k', '--machine-name', 'm']).warnings, [
      '--public, --machine-name: PM2 Plus flags, accepted and ignored (tend has no PM2 Plus link)',
    ]);
  });

  test('--health-listen: off, $TEND_HEALTH_LISTEN, the flag first', () => {
    assert.equal(parse(['app.js', '--health-listen', 'off']).healthListen, null);
    assert.equal(parse(['app.js', '--health-listen', '127.0.0.1:9616']).healthExplicit, true);
    assert.equal(parse(['app.js'], { TEND_HEALTH_LISTEN: '127.0.0.1:9616' }).healthExplicit, true);
    assert.equal(parse(['app.js'], { TEND_HEALTH_LISTEN: '0.0.0.0:9616' }).healthListen, '0.0.0.0:9616');
    assert.equal(parse(['app.js'], { TEND_HEALTH_LISTEN: 'off' }).healthListen, null);
    assert.equal(
      parse(['app.js', '--health-listen', '127.0.0.1:1234'], { TEND_HEALTH_LISTEN: 'off' }).healthListen,
      '127.0.0.1:1234',
    );
    usage(['app.js', '--health-listen', 'nope'], /--health-listen nope: expected "host:port"/);
    usage(['app.js'], /TEND_HEALTH_LISTEN :9: expected/, { TEND_HEALTH_LISTEN: ':9' });
  });

  test('control socket: with --control, or TEND_HOME set; never with --no-control', () => {
    assert.equal(parse(['app.js', '--control']).control, true);
    assert.equal(parse(['app.js'], { TEND_HOME: '/tmp/x' }).control, true);
    assert.equal(parse(['app.js', '--no-control'], { TEND_HOME: '/tmp/x' }).control, false);
  });

  test('usage errors', () => {
    usage([], /missing the ecosystem file or script/);
    usage(['app.js', '--bogus'], /Unknown option '--bogus'/);
    usage(['app.js', 'extra'], /unexpected argument "extra": arguments for the script go after --/);
    usage(['app.js', '--restart', 'always'], /--restart always: expected orchestrator or policy/);
    usage(['app.js', '--grace-period', 'soon'], /--grace-period soon: expected a duration/);
    usage(['app.js', '--log-format', 'xml'], /--log-format xml: expected raw, prefixed or json/);
    usage(['app.js', '--json', '--raw'], /--json and --raw cannot be given together/);
  });
});
