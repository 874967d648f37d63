// The query of the log stream: parsed values, defaults, limits, clear errors; matching lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type LogLine, matches, parseLogFilter } from '../../../src/http/streams/log-filter.js';

const q = (s: string) => parseLogFilter(new URLSearchParams(s));
const line = (over: Partial<LogLine> = {}): LogLine => ({
  app: 'api',
  instance_id: 0,
  id: 3,
  stream: 'out',
  line: 'GET /health 200',
  at: 0,
  ...over,
});

test('defaults: every app, instance and stream, 100 recent lines', () => {
  assert.deepEqual(q(''), { apps: null, instances: null, stream: null, grep: null, lines: 100 });
});

test('values: comma lists, stream, grep as given, lines capped at 1000', () => {
  const f = q('app=api,%20worker,&instance=0,2&stream=err&grep=a%20b&lines=5000');
  assert.deepEqual([...(f.apps ?? [])], ['api', 'worker']);
  assert.deepEqual([...(f.instances ?? [])], [0, 2]);
  assert.equal(f.stream, 'err');
  assert.equal(f.grep, 'a b');
  assert.equal(f.lines, 1000);
  assert.equal(q('lines=0').lines, 0);
});

test('bad values: TEND_ERR_BAD_REQUEST naming the parameter and what is expected', () => {
  const cases = {
    'stream=both': /^bad request: stream: expected "out" or "err", got "both"$/,
    'lines=ten': /^bad request: lines: expected a whole number from 0 to 1000, got "ten"$/,
    'lines=-1': /lines: expected/,
    'instance=1,x': /^bad request: instance: expected instance numbers .*got "x"$/,
  };
  for (const [query, message] of Object.entries(cases))
    assert.throws(() => q(query), { code: 'TEND_ERR_BAD_REQUEST', message }, query);
});

test('matching: app, instance, stream (a line of unknown stream is kept), case-sensitive substring', () => {
  assert.ok(matches(q(''), line()));
  assert.ok(!matches(q('app=web'), line()));
  assert.ok(matches(q('app=web,api&instance=0'), line()));
  assert.ok(!matches(q('instance=1'), line()));
  assert.ok(!matches(q('instance=0'), line({ instance_id: null })));
  assert.ok(!matches(q('stream=err'), line()));
  assert.ok(matches(q('stream=err'), line({ stream: null })));
  assert.ok(matches(q('grep=/health'), line()));
  assert.ok(!matches(q('grep=HEALTH'), line()));
  assert.ok(matches(q(`grep=${encodeURIComponent('(a+)+$')}`), line({ line: 'x (a+)+$ y' })), 'only text');
});
