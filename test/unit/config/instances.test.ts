// Instances and exec_mode: PM2's `-i` semantics, cluster mode for Node scripts only, clear errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { normalizeApps } from '../../../src/config/normalize.js';
import { configIssues, inputFor, makeTmp, type TmpDir } from './helpers.js';

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
  tmp.write('app.js', '');
  tmp.write('app.mjs', '');
  tmp.write('app.ts', '');
  tmp.write('job.py', '');
  tmp.write('bin/tool', '#!/bin/sh\n', 0o755);
});
after(() => tmp.remove());

const one = (app: Record<string, unknown>) => normalizeApps(inputFor(tmp.dir, [app], { cpus: 4 }))[0]!;

describe('instances', () => {
  for (const [written, expected] of [
    [3, 3],
    ['3', 3],
    ['max', 4],
    [0, 4],
    [-1, 3],
    [-3, 1],
  ] as const) {
    it(`${JSON.stringify(written)} → ${expected} on 4 CPUs`, () => {
      assert.equal(one({ script: 'app.js', instances: written }).instances, expected);
    });
  }

  it('-n that leaves no instance is an error, not a silent 1', () => {
    assert.deepEqual(
      configIssues(() => one({ script: 'app.js', instances: -4 })),
      [
        'apps[0] (app).instances: expected -n with n smaller than the number of CPUs (4), a positive integer, or "max", got -4',
      ],
    );
  });

  it('a word or a fraction is an error', () => {
    for (const written of ['many', 1.5])
      assert.match(configIssues(() => one({ script: 'app.js', instances: written }))[0] ?? '', /instances/);
  });
});

describe('exec_mode', () => {
  it('a Node script with instances and no exec_mode runs in cluster mode (PM2 -i), even -i 1', () => {
    for (const script of ['app.js', 'app.mjs', 'app.ts'])
      for (const instances of [1, 2, 'max'])
        assert.equal(one({ script, instances }).exec_mode, 'cluster', `${script} ${instances}`);
  });

  it('without instances, or with exec_mode fork, it is fork mode', () => {
    assert.equal(one({ script: 'app.js' }).exec_mode, 'fork');
    assert.equal(one({ script: 'app.js', instances: 4, exec_mode: 'fork' }).exec_mode, 'fork');
  });

  it('TypeScript files run with Node (a loader comes in node_args)', () => {
    const spec = one({ script: 'app.ts', node_args: '--import tsx', instances: 2 });
    assert.equal(spec.interpreter, process.execPath);
    assert.deepEqual(spec.interpreter_args, ['--import', 'tsx']);
    assert.equal(spec.exec_mode, 'cluster');
  });

  it('a non-Node script with instances stays in fork mode, with a note', () => {
    const spec = one({ script: 'job.py', instances: 2 });
    assert.equal(spec.exec_mode, 'fork');
    assert.deepEqual(spec.notes, [
      'apps[0] (job): the instances of job.py run in fork mode (cluster mode is for Node.js scripts): they cannot share a port (TEND_ERR_CONFIG_IGNORED)',
    ]);
  });

  it('cluster mode for a non-Node script is an error that suggests fork mode', () => {
    assert.deepEqual(
      configIssues(() => one({ script: 'job.py', exec_mode: 'cluster' })),
      [
        'apps[0] (job).exec_mode: cluster mode runs Node.js scripts only, and job.py runs with python3; use exec_mode "fork" (instances still apply)',
      ],
    );
    assert.match(
      configIssues(() => one({ script: 'tool', exec_mode: 'cluster_mode', instances: 2 }))[0] ?? '',
      /tool is executed directly \(no Node interpreter\); use exec_mode "fork"/,
    );
  });
});
