// depends_on in a unit (systemd.unit(5)): After= waits for the dependency's start-up job (READY=1 of a
// Type=notify unit, the exit of a Type=oneshot one), Requires= fails this unit when that job fails. Sixth
// audit: process_completed ("exited, whatever the code") was Requires=, so seed exiting 1 failed api's start
// ("Dependency failed"), and the warning said After= ordered seed by its start-up only, which is false for a
// oneshot. Now Wants= + After= for it; Requires= stays for process_completed_successfully.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderExport } from '../../../src/export/render.js';
import { appsFixtures } from './support.js';

const { inputFor } = appsFixtures('tend-export-deps-');

async function render(apps: Record<string, unknown>[]) {
  const r = renderExport('systemd', await inputFor(apps));
  const unit = (name: string) => r.files.find((f) => f.name === `${name}.service`)?.content ?? '';
  const lines = (name: string, key: string) =>
    unit(name)
      .split('\n')
      .filter((l) => l.startsWith(`${key}=`));
  return { r, unit, lines };
}

describe('depends_on → After=, Requires=, Wants=', () => {
  test('process_completed on a one-shot: After= + Wants= (any exit code), no Requires=, no warning', async () => {
    const { r, unit, lines } = await render([
      { name: 'seed', autorestart: false },
      { name: 'api', depends_on: { seed: { condition: 'process_completed' } } },
    ]);
    assert.match(unit('seed'), /^Type=oneshot$/m);
    assert.deepEqual(lines('api', 'After'), ['After=network-online.target seed.service']);
    assert.deepEqual(lines('api', 'Wants'), ['Wants=network-online.target', 'Wants=seed.service']);
    assert.deepEqual(lines('api', 'Requires'), []);
    assert.deepEqual(
      r.warnings.filter((w) => w.field.startsWith('depends_on')),
      [],
      'After= waits for a oneshot to exit: nothing to warn',
    );
  });

  test('process_completed with required: false, or a required default: Wants= either way', async () => {
    const { lines } = await render([
      { name: 'a', autorestart: false },
      { name: 'b', autorestart: false },
      {
        name: 'api',
        depends_on: {
          a: { condition: 'process_completed', required: true },
          b: { condition: 'process_completed', required: false },
        },
      },
    ]);
    assert.deepEqual(lines('api', 'Wants'), ['Wants=network-online.target', 'Wants=a.service b.service']);
    assert.deepEqual(lines('api', 'Requires'), []);
  });

  test('process_completed_successfully: After= + Requires= (a non-zero exit fails the dependent)', async () => {
    const { r, lines } = await render([
      { name: 'migrate', autorestart: false },
      { name: 'api', depends_on: { migrate: { condition: 'process_completed_successfully' } } },
    ]);
    assert.deepEqual(lines('api', 'Requires'), ['Requires=migrate.service']);
    assert.deepEqual(lines('api', 'Wants'), ['Wants=network-online.target']);
    assert.deepEqual(r.warnings, []);
  });

  test('process_healthy: Requires= on a Type=notify unit, After= waits for READY=1: no warning', async () => {
    const { r, unit, lines } = await render([
      { name: 'db', wait_ready: true },
      { name: 'api', depends_on: { db: { condition: 'process_healthy' } } },
    ]);
    assert.match(unit('db'), /^Type=notify$/m);
    assert.deepEqual(lines('api', 'Requires'), ['Requires=db.service']);
    assert.deepEqual(r.warnings, []);
  });

  test('a completion condition on a service that keeps running: warned with what After= does wait for', async () => {
    const { r } = await render([
      { name: 'db', wait_ready: true },
      { name: 'cache' },
      {
        name: 'api',
        depends_on: {
          db: { condition: 'process_completed' },
          cache: { condition: 'process_completed_successfully' },
        },
      },
    ]);
    const said = Object.fromEntries(r.warnings.map((w) => [w.field, w.message]));
    assert.equal(
      said['depends_on.db'],
      'condition process_completed: db.service is Type=notify (it keeps running): After= waits for its readiness (READY=1), not for it to exit',
    );
    assert.equal(
      said['depends_on.cache'],
      'condition process_completed_successfully: cache.service is Type=exec (it keeps running, or tend-runtime keeps its schedule): After= waits for it to be started, not for it to exit',
    );
  });

  test('process_started on a one-shot another app waits to complete: warned, After= waits for its exit', async () => {
    const { r } = await render([
      { name: 'seed', autorestart: false },
      { name: 'api', depends_on: { seed: { condition: 'process_completed' } } },
      { name: 'ui', depends_on: ['seed'] },
    ]);
    assert.deepEqual(
      r.warnings.map((w) => `${w.app}: ${w.field}: ${w.message}`),
      [
        'ui: depends_on.seed: condition process_started: seed.service is Type=oneshot (its start-up ends when it exits): After= waits for it to exit, later than tend starts this app',
      ],
    );
  });
});
