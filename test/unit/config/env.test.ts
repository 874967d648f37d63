// How an app environment is built: callerEnv, then env (and port), then env_<envName>.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { normalizeApps } from '../../../src/config/normalize.js';
import { inputFor, makeTmp, type TmpDir } from './helpers.js';

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
  tmp.write('app.js', '');
});
after(() => tmp.remove());

const one = (app: Record<string, unknown>, over = {}) => {
  const specs = normalizeApps(inputFor(tmp.dir, [app], over));
  assert.equal(specs.length, 1);
  return specs[0]!;
};

describe('normalizeApps: env', () => {
  const callerEnv = { PATH: '/usr/bin', HOME: '/home/u', SHARED: 'caller', ONLY_CALLER: 'c' };

  it('layers callerEnv, env and env_<envName>, stringifying values', () => {
    const spec = one(
      {
        script: 'app.js',
        env: { SHARED: 'app', PORT: 3000, DEBUG: false, UNSET: null },
        env_production: { SHARED: 'prod', NODE_ENV: 'production' },
        env_staging: { NODE_ENV: 'staging' },
      },
      { callerEnv, envName: 'production' },
    );
    assert.deepEqual(spec.env, {
      PATH: '/usr/bin',
      HOME: '/home/u',
      SHARED: 'prod',
      ONLY_CALLER: 'c',
      PORT: '3000',
      DEBUG: 'false',
      NODE_ENV: 'production',
    });
    assert.deepEqual(spec.notes, []);
  });

  it('ignores env_<name> sections that are not selected', () => {
    const spec = one({ script: 'app.js', env_production: { NODE_ENV: 'production' } }, { callerEnv });
    assert.equal(spec.env.NODE_ENV, undefined);
  });

  it('notes a selected env_<name> section that the app lacks', () => {
    const spec = one({ script: 'app.js', env: { A: '1' } }, { callerEnv, envName: 'staging' });
    assert.equal(spec.env.A, '1');
    assert.deepEqual(spec.notes, [
      'apps[0] (app): no env_staging section; only env applies (TEND_ERR_CONFIG_IGNORED)',
    ]);
  });

  it('sets PORT from the port shortcut', () => {
    assert.equal(one({ script: 'app.js', port: 8080, env: { PORT: '1' } }, { callerEnv }).env.PORT, '8080');
  });
});
