// An app may run on another Node than the daemon's (its `interpreter`): a fork app and a cluster app (its
// primary and workers) under a Node of another major version. The other Node is given by
// TEND_TEST_OTHER_NODE (CI sets it: Node 24 while the suite runs on the machine's Node, and the reverse).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { FIXTURES, startTestDaemon, type TestDaemon } from '../helpers/daemon.js';
import { runToEnd } from '../helpers/logs.js';

const other = process.env.TEND_TEST_OTHER_NODE || undefined;
const otherVersion = other ? execFileSync(other, ['--version'], { encoding: 'utf8' }).trim() : null;
const skip =
  other === undefined
    ? 'TEND_TEST_OTHER_NODE is not set (CI sets it to a Node of another version)'
    : otherVersion?.split('.')[0] === process.version.split('.')[0]
      ? `TEND_TEST_OTHER_NODE is ${otherVersion}, the same major version as this Node (${process.version})`
      : false;

describe('apps on another Node than the daemon', { skip }, () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon();
  });
  after(() => d.stop());

  test(`fork and cluster apps run on ${otherVersion ?? 'the other Node'}, the daemon on ${process.version}`, async () => {
    const apps = [
      { name: 'fork', script: `${FIXTURES}/node-version.cjs`, interpreter: other },
      {
        name: 'cluster',
        script: `${FIXTURES}/node-version.cjs`,
        interpreter: other,
        exec_mode: 'cluster' as const,
        instances: 2,
        merge_logs: true,
      },
    ];
    await runToEnd(
      d,
      apps.map((a) => ({ ...a, out_file: `${d.home}/${a.name}.log` })),
    );
    assert.equal(readFileSync(`${d.home}/fork.log`, 'utf8'), `node ${otherVersion} worker=false\n`);
    assert.equal(
      readFileSync(`${d.home}/cluster.log`, 'utf8'),
      `node ${otherVersion} worker=true\n`.repeat(2),
      'both workers (merged into one file: out_file is the same path)',
    );
    assert.equal(
      readlinkSync(`/proc/${d.daemonPid}/exe`),
      realpathSync(process.execPath),
      'the daemon runs here',
    );
  });
});
