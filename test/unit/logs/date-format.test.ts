// The timestamp formatter (moment-style tokens) and its parser, with fixed instants and time zones.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import {
  compileDateFormat,
  compileDateParser,
  DEFAULT_DATE_FORMAT,
  dateFormatProblem,
} from '../../../src/logs/date-format.js';

const at = Date.UTC(2024, 4, 1, 14, 3, 7, 42); // 2024-05-01T14:03:07.042Z

/** Formats in another process with TZ set: the formatter uses the local zone, as the daemon does. */
function formatIn(tz: string, format: string, ms: number): string {
  const url = new URL('../../../src/logs/date-format.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(url)}).then((m) => process.stdout.write(m.compileDateFormat(${JSON.stringify(format)})(${ms})))`;
  return execFileSync(process.execPath, ['--import', 'tsx', '-e', code], {
    env: { ...process.env, TZ: tz },
  }).toString();
}

describe('date format', () => {
  it('defaults to ISO-8601 with milliseconds and the local offset', () => {
    assert.equal(DEFAULT_DATE_FORMAT, 'YYYY-MM-DDTHH:mm:ss.SSSZ');
    assert.equal(formatIn('UTC', DEFAULT_DATE_FORMAT, at), '2024-05-01T14:03:07.042+00:00');
    assert.equal(formatIn('Europe/Paris', DEFAULT_DATE_FORMAT, at), '2024-05-01T16:03:07.042+02:00');
    assert.equal(formatIn('America/St_Johns', DEFAULT_DATE_FORMAT, at), '2024-05-01T11:33:07.042-02:30');
  });

  it('formats every documented token', () => {
    assert.equal(
      formatIn(
        'UTC',
        'YYYY YY MM M DD D HH H hh h mm m ss s SSS A a Z ZZ X x [YYYY literal]',
        Date.UTC(2024, 0, 5, 3, 4, 5, 6),
      ),
      '2024 24 01 1 05 5 03 3 03 3 04 4 05 5 006 AM am +00:00 +0000 1704423845 1704423845006 YYYY literal',
    );
    assert.equal(formatIn('UTC', 'hh:mm A', Date.UTC(2024, 0, 5, 12, 0)), '12:00 PM');
    assert.equal(formatIn('UTC', 'h a', Date.UTC(2024, 0, 5, 0, 0)), '12 am');
  });

  it('refuses a format without any token', () => {
    assert.equal(dateFormatProblem('YYYY-MM-DD'), null);
    assert.match(String(dateFormatProblem('[hello] --')), /at least one token/);
    assert.match(String(dateFormatProblem('')), /expected a date format/);
  });

  it('parses what it formats, back to the same instant', () => {
    for (const format of [
      DEFAULT_DATE_FORMAT,
      'YYYY-MM-DD HH:mm:ss.SSS ZZ',
      'x',
      'X',
      'YYYY/MM/DD hh:mm:ss.SSS A',
    ]) {
      const text = compileDateFormat(format)(at);
      const parsed = compileDateParser(format)(`${text}: message`);
      assert.ok(parsed, format);
      const expected = format === 'X' ? Math.floor(at / 1000) * 1000 : at;
      assert.equal(parsed.at, expected, format);
      assert.equal(parsed.length, text.length);
    }
    assert.equal(compileDateParser()('no timestamp here'), null);
  });

  it('caches the text of the last instant', () => {
    const f = compileDateFormat('x');
    assert.equal(f(5), '5');
    assert.equal(f(5), '5');
    assert.equal(f(6), '6');
  });
});
