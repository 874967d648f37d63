// PM2's per-instance variables, acted on (issue 17): `instance_var` names the variable holding the
// instance's number, `increment_var` gives each instance the app's value plus its number. The environment
// of each instance is pure (supervisor/launch.ts); the config check is normalize's (config/app-checks.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeApps } from '../../../src/config/normalize.js';
import { isTendError } from '../../../src/protocol/errors.js';
import { environmentOf } from '../../../src/supervisor/launch.js';
import { makeSpec } from '../../helpers/spec.js';

const who = (instance: number) => ({ id: 10 + instance, instance, home: '/h' });

describe('instance_var and increment_var', () => {
  test('by default NODE_APP_INSTANCE holds the instance number', () => {
    const env = environmentOf(makeSpec({ env: { PORT: '3000' } }), who(2));
    assert.equal(env.NODE_APP_INSTANCE, '2');
    assert.equal(env.PORT, '3000');
  });

  test('instance_var renames it, as PM2 does', () => {
    const env = environmentOf(makeSpec({ instance_var: 'WORKER_NO' }), who(1));
    assert.equal(env.WORKER_NO, '1');
    assert.equal(env.NODE_APP_INSTANCE, undefined);
    assert.equal(env.TEND_INSTANCE, '1');
  });

  test('increment_var: instance n gets the base plus n; a value no longer an integer is left alone', () => {
    const spec = makeSpec({ instances: 3, env: { PORT: '3000' }, increment_var: 'PORT' });
    assert.deepEqual(
      [0, 1, 2].map((i) => environmentOf(spec, who(i)).PORT),
      ['3000', '3001', '3002'],
    );
    const changed = makeSpec({ env: { PORT: 'auto' }, increment_var: 'PORT' });
    assert.equal(environmentOf(changed, who(1)).PORT, 'auto');
  });

  const input = (app: Record<string, unknown>) => ({
    apps: [{ name: 'web', script: process.execPath, ...app }],
    baseDir: '/',
    source: 'eco.config.js',
    callerEnv: { PATH: '/usr/bin:/bin' },
    envName: null,
    only: null,
    logDir: '/tmp/logs',
    execPath: process.execPath,
    cpus: 2,
  });

  test('the file says it: a spec carries both; a bad name or a non-integer base is a config error', () => {
    const [spec] = normalizeApps(
      input({ instance_var: 'INSTANCE_ID', increment_var: 'PORT', env: { PORT: 8000 } }) as never,
    );
    assert.deepEqual([spec!.instance_var, spec!.increment_var], ['INSTANCE_ID', 'PORT']);
    assert.throws(
      () => normalizeApps(input({ increment_var: 'PORT' }) as never),
      (err) =>
        isTendError(err) &&
        err.code === 'TEND_ERR_CONFIG_INVALID' &&
        /apps\[0\] \(web\)\.increment_var: env\.PORT must hold the integer the instances count up from .*got no such variable/.test(
          err.message,
        ),
    );
    assert.throws(
      () => normalizeApps(input({ instance_var: 'NO SPACES' }) as never),
      (err) => isTendError(err) && /instance_var: expected an environment variable name/.test(err.message),
    );
  });
});
