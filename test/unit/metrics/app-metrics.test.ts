// What an app sends to /metrics/apps is untrusted: relabel() keeps a registry's JSON, puts tend's labels on
// every sample (overwriting the app's own of those names), and drops an answer that is not a registry whole.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { normalizeApps } from '../../../src/config/normalize.js';
import { MAX_SAMPLES, relabel } from '../../../src/metrics/app-metrics.js';
import { wantsOpenMetrics } from '../../../src/metrics/exposition.js';
import { needsIpc } from '../../../src/supervisor/launch.js';
import { FIXTURES } from '../../helpers/daemon.js';
import { inputFor } from '../config/helpers.js';

const own = { app: 'api', namespace: 'web', instance_id: '1' };

describe('relabel', () => {
  test("every sample gets app, namespace and instance_id; the app's own labels of those names lose; its instance and job become exported_*", () => {
    const families = relabel(
      [
        {
          name: 'jobs_total',
          help: 'Jobs.',
          type: 'counter',
          values: [
            {
              value: 3,
              labels: { queue: 'mail', instance_id: 'x', app: 'y', n: 4, instance: 'h:1', job: 'j' },
            },
          ],
          aggregator: 'sum',
        },
        {
          name: 'latency_seconds',
          help: 'Latency.',
          type: 'histogram',
          values: [{ value: 1, labels: { le: 0.1 }, metricName: 'latency_seconds_bucket' }],
        },
      ],
      own,
    );
    assert.deepEqual(families, [
      {
        name: 'jobs_total',
        help: 'Jobs.',
        type: 'counter',
        values: [
          {
            value: 3,
            labels: {
              app: 'api',
              namespace: 'web',
              instance_id: '1',
              queue: 'mail',
              n: '4',
              exported_instance: 'h:1',
              exported_job: 'j',
            },
          },
        ],
      },
      {
        name: 'latency_seconds',
        help: 'Latency.',
        type: 'histogram',
        values: [
          {
            value: 1,
            labels: { app: 'api', namespace: 'web', instance_id: '1', le: '0.1' },
            metricName: 'latency_seconds_bucket',
          },
        ],
      },
    ]);
  });

  test('anything that is not a registry is dropped whole', () => {
    const ok = { name: 'a', help: '', type: 'gauge', values: [{ value: 1, labels: {} }] };
    const bad: [string, unknown][] = [
      ['not an array', { a: 1 }],
      ['a bad name', [{ ...ok, name: 'a b' }]],
      ['an unknown type', [{ ...ok, type: 'stateset' }]],
      ['a bad label name', [{ ...ok, values: [{ value: 1, labels: { 'a-b': '1' } }] }]],
      ['a reserved label name', [{ ...ok, values: [{ value: 1, labels: { __name__: 'x' } }] }]],
      ['a non-number value', [{ ...ok, values: [{ value: '1', labels: {} }] }]],
      ["another family's sample name", [{ ...ok, values: [{ value: 1, metricName: 'b_sum' }] }]],
      [
        'too many samples',
        [{ ...ok, values: Array.from({ length: MAX_SAMPLES + 1 }, () => ({ value: 1 })) }],
      ],
    ];
    for (const [what, metrics] of bad) assert.equal(relabel(metrics, own), null, what);
    assert.notEqual(relabel([ok], own), null);
  });
});

describe('content negotiation', () => {
  test('OpenMetrics when Accept prefers it, the text format otherwise', () => {
    const prometheus =
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
    const cases: [string | undefined, boolean][] = [
      [undefined, false],
      ['', false],
      ['*/*', false],
      ['text/plain', false],
      ['text/plain;version=0.0.4', false],
      [prometheus, true],
      ['application/openmetrics-text', true],
      ['application/openmetrics-text; version=1.0.0; charset=utf-8', true],
      ['text/plain;q=1, application/openmetrics-text;q=0.5', false],
      ['application/openmetrics-text;q=0', false],
      ['application/openmetrics-text;version=2.0.0', false],
    ];
    for (const [accept, expected] of cases) assert.equal(wantsOpenMetrics(accept), expected, String(accept));
  });
});

describe('the metrics field', () => {
  test('a Node fork app with metrics: true gets an IPC channel; a non-Node app gets a note instead', () => {
    const [node, off, sleep] = normalizeApps(
      inputFor('/', [
        { name: 'node', script: join(FIXTURES, 'idle.cjs'), metrics: true },
        { name: 'off', script: join(FIXTURES, 'idle.cjs') },
        { name: 'sleep', script: '/usr/bin/sleep', metrics: true },
      ]),
    );
    assert.deepEqual(
      [node, off, sleep].map((s) => [s?.metrics, s?.is_node, s && needsIpc(s)]),
      [
        [true, true, true],
        [false, true, false],
        [true, false, false],
      ],
    );
    assert.deepEqual(sleep?.notes, [
      'apps[2] (sleep): metrics: true needs a Node app (tend/metrics answers over its IPC channel); /metrics/apps will not ask this one (TEND_ERR_CONFIG_IGNORED)',
    ]);
    assert.deepEqual(node?.notes, []);
  });
});
