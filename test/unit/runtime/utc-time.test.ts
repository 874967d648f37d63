// UTC text from the UTC getters and the monotonic clock (runtime/utc-time.ts): the same text as V8's
// toISOString / toUTCString, without what those load (ICU's time-zone data).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { httpDate, isoTime, monotonicMs } from '../../../src/runtime/utc-time.js';

const at = Date.UTC(2024, 4, 1, 14, 3, 7, 42); // 2024-05-01T14:03:07.042Z

/** Fixed edges and 200 random instants in [from, to). */
function instants(from: number, to: number, fixed: number[]): number[] {
  const all = [...fixed];
  for (let i = 0; i < 200; i++) all.push(from + Math.floor(Math.random() * (to - from)));
  return all;
}

describe("isoTime: the daemon's own timestamps", () => {
  it('is toISOString for instants across the years 0 to 9999, leap days and millisecond edges', () => {
    const fixed = [
      0,
      at,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(1999, 11, 31, 0, 0, 0, 1),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      -62167219200000, // 0000-01-01T00:00:00.000Z
      Date.UTC(1, 0, 1) - 1,
    ];
    for (const ms of instants(-62167219200000, 253402300799999, fixed))
      assert.equal(isoTime(ms), new Date(ms).toISOString(), String(ms));
  });
});

describe("httpDate: the HTTP listeners' Date header", () => {
  it('is toUTCString (IMF-fixdate) for instants across the years 1000 to 9999', () => {
    const fixed = [
      0,
      at,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(1994, 10, 6, 8, 49, 37), // RFC 9110's example
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(1000, 0, 1),
    ];
    for (const ms of instants(Date.UTC(1000, 0, 1), Date.UTC(10000, 0, 1), fixed))
      assert.equal(httpDate(ms), new Date(ms).toUTCString(), String(ms));
    assert.equal(httpDate(Date.UTC(1994, 10, 6, 8, 49, 37)), 'Sun, 06 Nov 1994 08:49:37 GMT');
  });
});

describe('monotonicMs', () => {
  it("reads performance.now()'s clock: the same advance, never back", () => {
    const p0 = performance.now();
    const m0 = monotonicMs();
    let last = m0;
    while (performance.now() - p0 < 10) {
      const m = monotonicMs();
      assert.ok(m >= last, `went back from ${last} to ${m}`);
      last = m;
    }
    const m1 = monotonicMs();
    const p1 = performance.now();
    assert.ok(
      Math.abs(m1 - m0 - (p1 - p0)) < 1,
      `advanced ${m1 - m0} ms while performance.now() advanced ${p1 - p0}`,
    );
  });
});
