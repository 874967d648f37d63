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
    // Each reading of monotonicMs bracketed by two of performance.now(): the process may be preempted
    // between any two readings (a loaded machine: 7 ms once), so the advance is compared with the brackets'.
    const p0a = performance.now();
    const m0 = monotonicMs();
    const p0b = performance.now();
    let last = m0;
    while (performance.now() - p0a < 10) {
      const m = monotonicMs();
      assert.ok(m >= last, `went back from ${last} to ${m}`);
      last = m;
    }
    const p1a = performance.now();
    const m1 = monotonicMs();
    const p1b = performance.now();
    const advance = m1 - m0;
    assert.ok(
      advance > p1a - p0b - 1 && advance < p1b - p0a + 1,
      `advanced ${advance} ms while performance.now() advanced between ${p1a - p0b} and ${p1b - p0a}`,
    );
  });
});
