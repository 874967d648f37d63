// tend-runtime's command line: defaults, durations in tend's grammar, --health-listen and its variable,
// pm2-runtime's flags, and usage errors (TEND_ERR_USAGE).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  asksJson,
  DEFAULT_GRACE_MS,
  parseRuntimeArgs,
  type RuntimeOptions,
  USAGE,
} from '../../../src/container/args.js';
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
  test('--help is wrapped: no line longer than the 105 columns its paragraphs wrap at', () => {
    const wide = USAGE.split('\n').filter((line) => line.length > 105);
    assert.deepEqual(wide, []);
  });

  test('defaults', () => {
    assert.deepEqual(parse(['app.js']), {
      target: 'app.js',
      scriptArgs: [],
      only: null,
      noDeps: false,
      envFiles: true,
      secretsFromEnv: false,
      cron: true,
      singleInstance: false,
      envName: null,
      restart: null,
      graceMs: DEFAULT_GRACE_MS,
      shutdownDelayMs: 0,
      healthListen: '127.0.0.1:9616',
      healthExplicit: false,
      logFormat: null,
      autoExit: true,
      control: false,
      appFields: {},
      warnings: [],
    });
    assert.equal(parseRuntimeArgs(['--help']).help, 'usage');
    assert.equal(parseRuntimeArgs(['-h']).help, 'usage');
    // pm2-runtime's -v too.
    assert.equal(parseRuntimeArgs(['--version']).help, 'version');
    assert.equal(parseRuntimeArgs(['-v']).help, 'version');
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

  test("pm2-runtime's flags with an optional value (--secret [key], --public [key], --machine-name [name], --web [port]): accepted with or without it, with a warning (sixth audit)", () => {
    const plus =
      '--public, --secret, --machine-name: PM2 Plus flags, accepted and ignored (tend has no PM2 Plus link)';
    for (const argv of [
      ['app.js', '--secret', '--public', '--machine-name'],
      ['app.js', '--secret', '--public', '--machine-name', '--json'],
      ['--secret', 's3', '--public', 'p', '--machine-name', 'box', 'app.js'],
    ]) {
      const o = parse(argv);
      assert.equal(o.target, 'app.js', argv.join(' '));
      assert.deepEqual(o.warnings, [plus], argv.join(' '));
    }
    // An empty value (an unset variable) is a value, as commander takes it (ninth audit).
    for (const argv of [
      ['--secret', '', 'app.js'],
      ['app.js', '--secret', ''],
    ])
      assert.deepEqual(
        [parse(argv).target, parse(argv).warnings],
        ['app.js', ['--secret: a PM2 Plus flag, accepted and ignored (tend has no PM2 Plus link)']],
        JSON.stringify(argv),
      );
    const dashed = parse(['--secret=s3', '--public=', '--machine-name', '--', 'app.js', 'arg']);
    assert.deepEqual([dashed.target, dashed.scriptArgs, dashed.warnings], ['app.js', ['arg'], [plus]]);
    const web = (argv: string[]) => parse(argv).warnings;
    assert.deepEqual(web(['app.js', '--web']), [
      "--web: pm2-runtime's web API is not served, accepted and ignored; use --health-listen HOST:PORT (/livez, /readyz, /startupz, /metrics)",
    ]);
    assert.match(web(['--web', '9615', 'app.js'])[0] ?? '', /^--web 9615: pm2-runtime's web API/);
    // Only a port is --web's value: the word after it is the target otherwise.
    assert.equal(parse(['--web', 'app.js']).target, 'app.js');
  });

  test('asksJson: --json or --log-format json before --, read without parsing (a usage error is JSON then)', () => {
    assert.equal(asksJson(['app.js', '--grace-period', '5x', '--json']), true);
    assert.equal(asksJson(['--log-format', 'json', '--bogus']), true);
    assert.equal(asksJson(['--log-format=json']), true);
    assert.equal(asksJson(['--log-format', 'raw', 'json']), false);
    assert.equal(asksJson(['app.js', '--', '--json']), false);
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
    // Empty is no setting (third audit: it was a usage error).
    const empty = parse(['app.js'], { TEND_HEALTH_LISTEN: '' });
    assert.deepEqual([empty.healthListen, empty.healthExplicit], ['127.0.0.1:9616', false]);
  });

  test('help as a word is the usage; an empty --only name is refused (third audit)', () => {
    assert.deepEqual(parseRuntimeArgs(['help'], {}), { help: 'usage' });
    usage([''], /the ecosystem file or script is an empty word/);
    usage(['app.js', '--only='], /--only "": an empty app name/);
    usage(['eco.config.js', '--only', 'a,,b'], /--only "a,,b": an empty app name/);
    assert.deepEqual(parse(['eco.config.js', '--only', 'a, b']).only, ['a', 'b']);
    // PM2's `-i -1` as written (parseArgs alone calls it ambiguous).
    assert.equal(parse(['app.js', '-i', '-1']).appFields.instances, -1);
    assert.equal(parse(['app.js', '--instances', '-2']).appFields.instances, -2);
    assert.deepEqual(parse(['app.js', '--', '-i', '-1']).scriptArgs, ['-i', '-1']);
  });

  test('control socket: with --control, or TEND_HOME set; never with --no-control', () => {
    assert.equal(parse(['app.js', '--control']).control, true);
    assert.equal(parse(['app.js'], { TEND_HOME: '/tmp/x' }).control, true);
    assert.equal(parse(['app.js', '--no-control'], { TEND_HOME: '/tmp/x' }).control, false);
    // TEND_HOME= (empty) is no home given (third audit: it turned the socket on, in ~/.tend).
    assert.equal(parse(['app.js'], { TEND_HOME: '' }).control, false);
  });

  test('usage errors', () => {
    usage([], /missing the ecosystem file or script/);
    usage(['app.js', '--bogus'], /Unknown option '--bogus'/);
    usage(['app.js', 'extra'], /unexpected argument "extra": arguments for the script go after --/);
    // The runtime's own port in the example, not the API's 9615 (ninth audit).
    usage(
      ['app.js', '--health-listen', '127.1:19150'],
      /e\.g\. "127\.0\.0\.1:9616" \(or "\[::1\]:9616" for IPv6\)/,
    );
    // pm2-runtime's `start` word, with a word too many after the target: that word is named (ninth audit).
    usage(['start', 'app.js', 'extra'], /unexpected argument "extra": arguments for the script go after --/);
    usage(['app.js', '--restart', 'always'], /--restart always: expected orchestrator or policy/);
    usage(['app.js', '--grace-period', 'soon'], /--grace-period soon: expected a duration/);
    usage(['app.js', '--log-format', 'xml'], /--log-format xml: expected raw, prefixed or json/);
    usage(['app.js', '--json', '--raw'], /--json and --raw cannot be given together/);
    usage(['eco.config.js', '--no-deps'], /--no-deps needs --only/);
    usage(
      ['eco.config.js', '--single-instance', '-i', '2'],
      /--single-instance and -i\/--instances cannot be given together/,
    );
  });

  test('a duration without a unit is refused (seconds for kubectl, milliseconds for tend): 0 is 0', () => {
    usage(
      ['app.js', '--grace-period', '30'],
      /--grace-period 30: give a unit, such as 30s \(seconds\) or 30ms/,
    );
    usage(['app.js', '--shutdown-delay', '1.5'], /--shutdown-delay 1.5: give a unit, such as 1.5s/);
    assert.equal(parse(['app.js', '--grace-period', '0']).graceMs, 0);
    assert.equal(parse(['app.js', '--grace-period', '30s']).graceMs, 30_000);
    assert.equal(parse(['app.js', '--shutdown-delay', '250ms']).shutdownDelayMs, 250);
  });

  test('--only with --no-deps and --no-env-file (what `tend export` writes for one app per unit)', () => {
    const o = parse([
      'eco.config.js',
      '--only',
      'api',
      '--no-deps',
      '--no-env-file',
      '--secrets-from-env',
      '--no-cron',
      '--single-instance',
    ]);
    assert.deepEqual(
      [o.only, o.noDeps, o.envFiles, o.secretsFromEnv, o.cron, o.singleInstance],
      [['api'], true, false, true, false, true],
    );
  });

  test("pm2-runtime's app flags set the app's fields; the ones with no equivalent warn", () => {
    const o = parse([
      'start',
      'app.js',
      '-i',
      'max',
      '-n',
      'web',
      // As PM2 documents it: a value starting with a dash takes the = form.
      '--node-args=--max-old-space-size=200',
      '--interpreter',
      'node',
      '--max-memory-restart',
      '200M',
      '--no-autorestart',
      '-c',
      '0 * * * *',
      '--watch',
      '--stop-exit-codes',
      '0,3',
    ]);
    assert.deepEqual(o.appFields, {
      instances: 'max',
      name: 'web',
      node_args: '--max-old-space-size=200',
      interpreter: 'node',
      max_memory_restart: '200M',
      autorestart: false,
      cron_restart: '0 * * * *',
      watch: true,
      stop_exit_codes: [0, 3],
    });
    assert.equal(parse(['app.js', '--instances', '4']).appFields.instances, 4);
    assert.equal(parse(['app.js', '--formatted']).logFormat, 'prefixed');
    assert.deepEqual(parse(['app.js', '--trace', '--delay', '3', '--output', '/tmp/o']).warnings, [
      '--trace, --delay, --output: pm2-runtime flags with no tend-runtime equivalent, accepted and ignored (logs go to stdout and stderr only; apps start at once)',
    ]);
  });
});
