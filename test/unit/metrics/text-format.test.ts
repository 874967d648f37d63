// The lean renderer of tend's own families (src/metrics/text-format.ts) against prom-client's, byte for
// byte, in the text format and in OpenMetrics: label values with quotes, backslashes, newlines and non-ASCII
// text, HELP texts with backslashes and newlines, NaN and ±Inf, counters (`_total` in both formats), samples
// without labels, empty families, an exposition of prom-client's appended (the daemon's process_* and
// nodejs_*), and tend's real families built from a supervisor, then the whole /metrics of openMetrics().
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DaemonContext } from '../../../src/daemon/context.js';
import { render } from '../../../src/metrics/exposition.js';
import type { Family, FamilyType } from '../../../src/metrics/family.js';
import { openMetrics } from '../../../src/metrics/index.js';
import { tendFamilies } from '../../../src/metrics/tend-families.js';
import { labelPair, renderFamilies, TextFamily } from '../../../src/metrics/text-format.js';
import { parseFamilies } from '../../helpers/exposition.js';
import { NEEDS_OPENMETRICS_PARSER, openMetricsCheck } from '../../helpers/openmetrics.js';
import { NEEDS_PROMTOOL, promtoolCheck } from '../../helpers/promtool.js';
import { setup } from '../../helpers/supervisor.js';

/** The same families twice: as prom-client's JSON shape, and written by the lean renderer. */
function both(families: Family[]): { json: Family[]; lean: TextFamily[] } {
  const lean = families.map((f) => {
    const t = new TextFamily(f.name, f.help, f.type);
    for (const v of f.values)
      t.add(
        Object.entries(v.labels)
          .map(([k, x]) => labelPair(k, x))
          .join(','),
        v.value,
      );
    return t;
  });
  return { json: families, lean };
}

const fam = (name: string, type: FamilyType, help: string, values: Family['values']): Family => ({
  name,
  help,
  type,
  values,
});

const TRICKY: Family[] = [
  fam('tend_test_info', 'gauge', 'Label values that need escaping.', [
    { labels: { app: 'quote"d', namespace: 'back\\slash' }, value: 1 },
    { labels: { app: 'new\nline', namespace: 'all\\"of\nthem\\n' }, value: 1 },
    { labels: { app: 'ünïcode ✓', namespace: '' }, value: 1 },
    { labels: { app: '"', namespace: '\\' }, value: 1 },
  ]),
  fam('tend_test_values', 'gauge', 'Help with a \\ backslash,\na newline and "quotes".', [
    { labels: { v: 'nan' }, value: Number.NaN },
    { labels: { v: 'inf' }, value: Number.POSITIVE_INFINITY },
    { labels: { v: '-inf' }, value: Number.NEGATIVE_INFINITY },
    { labels: { v: 'zero' }, value: 0 },
    { labels: { v: '-zero' }, value: -0 },
    { labels: { v: 'float' }, value: 1733280000.123 },
    { labels: { v: 'big' }, value: 1e21 },
    { labels: { v: 'small' }, value: 1e-7 },
    { labels: { v: 'neg' }, value: -3 },
    { labels: { v: 'max' }, value: Number.MAX_SAFE_INTEGER },
  ]),
  fam('tend_test_events_total', 'counter', 'A counter: `_total` on samples in both formats.', [
    { labels: { app: 'a', reason: 'crash' }, value: 3 },
    { labels: { app: 'a', reason: 'exit' }, value: 0 },
  ]),
  fam('tend_test_bare', 'gauge', 'No labels.', [{ labels: {}, value: 42 }]),
  fam('tend_test_ticks_total', 'counter', 'No labels, a counter.', [{ labels: {}, value: Number.NaN }]),
  fam('tend_test_empty', 'gauge', 'No samples at all.', []),
];

/** Stands for the daemon's process_* and nodejs_*: prom-client renders these, a histogram among them. */
const PROCESS: Family[] = [
  fam('process_cpu_seconds_total', 'counter', 'Total user and system CPU time spent in seconds.', [
    { labels: {}, value: 0.52 },
  ]),
  fam('nodejs_gc_duration_seconds', 'histogram', 'Garbage collection duration by kind.', [
    { labels: { le: '0.001', kind: 'minor' }, value: 4, metricName: 'nodejs_gc_duration_seconds_bucket' },
    { labels: { le: '+Inf', kind: 'minor' }, value: 5, metricName: 'nodejs_gc_duration_seconds_bucket' },
    { labels: { kind: 'minor' }, value: 0.0031, metricName: 'nodejs_gc_duration_seconds_sum' },
    { labels: { kind: 'minor' }, value: 5, metricName: 'nodejs_gc_duration_seconds_count' },
  ]),
];

/** prom-client's render mutates nothing of ours, but give it copies: the comparison must not share state. */
const copy = (families: Family[]): Family[] => structuredClone(families);

describe('text-format: byte for byte what prom-client renders', () => {
  for (const om of [false, true]) {
    const format = om ? 'OpenMetrics' : 'text format';

    test(`${format}: escaping, NaN and ±Inf, counters, bare and empty families`, async () => {
      const { json, lean } = both(TRICKY);
      const expected = (await render(copy(json), om)).body;
      assert.equal(renderFamilies(lean, om), expected);
      // The comparison sees what it should: the escapes and special values are in it.
      for (const bit of ['app="quote\\"d"', 'namespace="back\\\\slash"', 'app="new\\nline"', '+Inf', '-Inf'])
        assert.ok(expected.includes(bit), bit);
    });

    test(`${format}: followed by prom-client's own exposition, one document`, async () => {
      const { json, lean } = both(TRICKY);
      const rest = (await render(copy(PROCESS), om)).body;
      const expected = (await render(copy([...json, ...PROCESS]), om)).body;
      assert.equal(renderFamilies(lean, om, rest), expected);
    });

    test(`${format}: no family at all`, async () => {
      assert.equal(renderFamilies([], om), (await render([], om)).body);
      const rest = (await render(copy(PROCESS), om)).body;
      assert.equal(renderFamilies([], om, rest), rest);
    });

    test(`${format}: more samples than one chunk of lines`, async () => {
      // Labelled and bare samples mixed (lines of 5 and of 3 pieces), so chunks end at uneven places.
      const values = Array.from({ length: 1000 }, (_, i) => ({
        labels: (i % 3 === 0 ? {} : { instance_id: String(i) }) as Record<string, string>,
        value: i / 7,
      }));
      const { json, lean } = both([fam('tend_test_many', 'gauge', 'Many.', values)]);
      assert.equal(renderFamilies(lean, om), (await render(copy(json), om)).body);
    });

    test(`${format}: tend's families of a supervisor, read back and rendered by prom-client`, async () => {
      const s = setup();
      const units = [
        ...s.add({ name: 'api', instances: 2, namespace: 'we"b\\n' }),
        ...s.add({ name: 'worker', interpreter: '/opt/we"ird\\dir/py"th\\on\nx', exec_mode: 'fork' }),
      ];
      await s.supervisor.start(units, false);
      const families = tendFamilies(s.supervisor, {
        rollupOnly: false,
        usage: () => ({ userSeconds: 1.25, systemSeconds: 0.5, residentBytes: 40960, openFds: 7 }),
        scrapeErrors: new Map(),
        notifications: [{ app: 'api', kind: 'webhook', sent: 2, failed: 1, suppressed: 0 }],
      });
      const body = renderFamilies(families, om);
      const again = parseFamilies(body, om) as Family[];
      assert.equal(again.length, families.length);
      assert.equal((await render(again, om)).body, body);
      assert.ok(body.includes('interpreter="py\\"th\\\\on\\nx"'), 'the interpreter label is escaped');
    });

    test(`${format}: a whole /metrics (tend's families, then the daemon's process_* and nodejs_*)`, async () => {
      const s = setup();
      await s.supervisor.start(s.add({ name: 'api', instances: 2 }), false);
      const metrics = openMetrics({ supervisor: s.supervisor, bus: s.bus } as unknown as DaemonContext, {
        rollupOnly: false,
      });
      try {
        const accept = om ? 'application/openmetrics-text; version=1.0.0' : undefined;
        const { body } = await metrics.scrape(accept);
        assert.ok(body.includes('\nprocess_cpu_seconds_total'), 'the daemon process is in it');
        assert.equal((await render(parseFamilies(body, om) as Family[], om)).body, body);
      } finally {
        metrics.close();
      }
    });
  }

  test('promtool check metrics: exit 0 on the tricky families (text format)', {
    skip: NEEDS_PROMTOOL,
  }, async () => {
    const { lean } = both(TRICKY);
    const { code, output } = await promtoolCheck(renderFamilies(lean, false));
    assert.equal(code, 0, output);
  });

  test('the OpenMetrics parser accepts the tricky families in OpenMetrics, all but a NaN counter', {
    skip: NEEDS_OPENMETRICS_PARSER,
  }, async () => {
    // OpenMetrics 1.0: "A Total is a non-NaN". The fixture has a NaN counter for the parity with prom-client
    // (which renders it as it is, in both formats); tend's own counters are counts and CPU ticks, never NaN.
    const nanCounter = TRICKY.find((f) => f.name === 'tend_test_ticks_total') as Family;
    const valid = TRICKY.filter((f) => f !== nanCounter);
    const { code, output } = await openMetricsCheck(renderFamilies(both(valid).lean, true));
    assert.equal(code, 0, output);
    const refused = await openMetricsCheck(renderFamilies(both([nanCounter]).lean, true));
    assert.equal(refused.code, 1, 'the parser is strict: a NaN counter is refused');
    assert.match(refused.output, /NaN/);
  });

  test('a counter not named *_total is refused (its samples would differ between the formats)', () => {
    assert.throws(() => new TextFamily('tend_test_events', 'help', 'counter'), /must be named \*_total/);
  });
});
