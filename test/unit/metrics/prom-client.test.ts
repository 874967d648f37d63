// prom-client is required on first use (src/metrics/prom-client.ts): the content types exposition.ts writes
// without loading it must stay prom-client's own.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from '../../../src/metrics/exposition.js';

test("the exposition's content types are prom-client's", () => {
  const { Registry } = createRequire(import.meta.url)('prom-client') as typeof import('prom-client');
  assert.equal(TEXT_CONTENT_TYPE, Registry.PROMETHEUS_CONTENT_TYPE);
  assert.equal(OPENMETRICS_CONTENT_TYPE, Registry.OPENMETRICS_CONTENT_TYPE);
});
