// The log fields of an app: values, aliases, paths, defaults and TEND_LOG_* global defaults.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { LOG_DEFAULTS } from '../../../src/config/log-fields.js';
import { normalizeApps } from '../../../src/config/normalize.js';
import { parseSize } from '../../../src/config/size.js';
import { configIssues, inputFor, makeTmp } from './helpers.js';

const tmp = makeTmp();
const script = tmp.write('app.js', '');
after(() => tmp.remove());
const spec = (app: Record<string, unknown>, over = {}) =>
  normalizeApps(inputFor(tmp.dir, [{ script, ...app }], over))[0]!;

describe('log fields', () => {
  it('parses sizes in powers of 1024', () => {
    assert.equal(parseSize('10M'), 10 * 1024 * 1024);
    assert.equal(parseSize('512k'), 512 * 1024);
    assert.equal(parseSize('1.5G'), 1.5 * 1024 ** 3);
    assert.equal(parseSize('10MB'), 10 * 1024 * 1024);
    assert.equal(parseSize('4096'), 4096);
    assert.equal(parseSize('ten'), null);
  });

  it('defaults: plain lines, ISO timestamps when on, no rotation, 5 generations', () => {
    const s = spec({});
    assert.equal(s.time, false);
    assert.equal(s.log_date_format, 'YYYY-MM-DDTHH:mm:ss.SSSZ');
    assert.equal(s.log_type, 'raw');
    assert.equal(s.log_file, null);
    assert.equal(s.merge_logs, false);
    assert.equal(s.max_size, 0);
    assert.equal(s.retain, 5);
    assert.equal(s.compress, false);
    assert.equal(s.rotate_interval, null);
    assert.deepEqual(s.notes, []);
    assert.equal(LOG_DEFAULTS.retain, 5);
  });

  it('reads every field, PM2 aliases included, without "stored for later" notes', () => {
    const s = spec({
      time: 'true',
      log_date_format: 'YYYY-MM-DD HH:mm Z',
      log_type: 'json',
      log: 'logs/all.log',
      combine_logs: true,
      max_size: '10M',
      retain: '3',
      compress: true,
      rotate_interval: '0 3 * * *',
    });
    assert.equal(s.time, true);
    assert.equal(s.log_type, 'json');
    assert.equal(s.log_file, `${tmp.dir}/logs/all.log`);
    assert.equal(s.merge_logs, true);
    assert.equal(s.max_size, 10 * 1024 * 1024);
    assert.equal(s.retain, 3);
    assert.equal(s.compress, true);
    assert.equal(s.rotate_interval, '0 3 * * *');
    assert.deepEqual(s.notes, []);
    assert.equal(spec({ log_file: true, name: 'api' }).log_file, '/var/log/tend/api.log');
    assert.equal(spec({ log_date_format: 'HH:mm' }).time, true, 'a date format turns timestamps on (PM2)');
    assert.equal(spec({ log_date_format: 'HH:mm', time: false }).time, false);
    assert.equal(spec({ rotate_interval: 'daily' }).rotate_interval, 'daily');
  });

  it('reports bad values with the field and the expectation', () => {
    const issues = configIssues(() =>
      normalizeApps(
        inputFor(tmp.dir, [
          {
            script,
            max_size: 'big',
            retain: -1,
            log_type: 'xml',
            rotate_interval: 'sometimes',
            log_date_format: '--',
          },
        ]),
      ),
    );
    assert.deepEqual(issues, [
      'apps[0] (app).log_date_format: expected a date format with at least one token (YYYY, MM, DD, HH, mm, ss, SSS, Z…), got "--"',
      'apps[0] (app).log_type: expected "json" or "raw", got "xml"',
      'apps[0] (app).max_size: expected a size: bytes, or a string such as "10M", "512K" or "1G", got "big"',
      'apps[0] (app).retain: expected a non-negative integer, got -1',
      issues[4],
    ]);
    assert.match(
      String(issues[4]),
      /^apps\[0\] \(app\)\.rotate_interval: expected a cron expression \("0 0 \* \* \*"\) or one of hourly, daily, weekly, monthly: .*parts are required, got "sometimes"$/,
    );
  });

  it('takes global defaults from TEND_LOG_* variables; fields win; "none" turns an interval off', () => {
    const env = {
      PATH: '',
      HOME: tmp.dir,
      TEND_LOG_TIME: 'true',
      TEND_LOG_MAX_SIZE: '1M',
      TEND_LOG_RETAIN: '2',
      TEND_LOG_COMPRESS: 'true',
      TEND_LOG_ROTATE_INTERVAL: 'daily',
      TEND_LOG_TYPE: 'json',
      TEND_LOG_DATE_FORMAT: 'HH:mm:ss',
    };
    const s = spec({}, { callerEnv: env });
    assert.deepEqual(
      [s.time, s.max_size, s.retain, s.compress, s.rotate_interval, s.log_type, s.log_date_format],
      [true, 1024 * 1024, 2, true, 'daily', 'json', 'HH:mm:ss'],
    );
    const own = spec({ time: false, max_size: 0, rotate_interval: 'none' }, { callerEnv: env });
    assert.deepEqual([own.time, own.max_size, own.rotate_interval], [false, 0, null]);
    const issues = configIssues(() =>
      spec({}, { callerEnv: { ...env, TEND_LOG_RETAIN: 'x', TEND_LOG_TYPE: 'yaml' } }),
    );
    assert.deepEqual(issues, [
      'TEND_LOG_TYPE: expected "json" or "raw", got "yaml"',
      'TEND_LOG_RETAIN: expected a non-negative integer, got "x"',
    ]);
  });
});
