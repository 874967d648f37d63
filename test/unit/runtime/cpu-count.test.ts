// instances: 'max' in a container follows the cgroup CPU quota (issue 15): fake /proc and /sys trees.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { cgroupCpuQuota, cpuCount, parseCfs, parseCpuMax } from '../../../src/runtime/cpu-count.js';

const base = mkdtempSync(join(tmpdir(), 'tend-cpu-'));
after(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
/** A fake root holding these files (paths relative to /). */
function fakeRoot(files: Record<string, string>): string {
  const root = join(base, String(n++));
  mkdirSync(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
const v2 = (cpuMax: string, extra: Record<string, string> = {}) =>
  fakeRoot({
    'proc/self/cgroup': '0::/\n',
    'sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io memory pids\n',
    'sys/fs/cgroup/cpu.max': cpuMax,
    ...extra,
  });

test('cpu.max: max = no quota, a quota in CPUs, garbage is no quota', () => {
  assert.equal(parseCpuMax('max 100000\n'), null);
  assert.equal(parseCpuMax('150000 100000\n'), 1.5);
  assert.equal(parseCpuMax('200000 100000'), 2);
  assert.equal(parseCpuMax('50000 100000'), 0.5);
  assert.equal(parseCpuMax(''), null);
  assert.equal(parseCpuMax('abc'), null);
  assert.equal(parseCpuMax(null), null);
  assert.equal(parseCfs('-1\n', '100000\n'), null);
  assert.equal(parseCfs('250000\n', '100000\n'), 2.5);
  assert.equal(parseCfs(null, '100000'), null);
});

test('cgroup v2: the quota rounded down, at least 1, never above the CPUs available', () => {
  assert.equal(cpuCount({ root: v2('max 100000\n'), available: 8 }), 8);
  assert.equal(cpuCount({ root: v2('200000 100000\n'), available: 8 }), 2);
  assert.equal(cpuCount({ root: v2('150000 100000\n'), available: 8 }), 1);
  assert.equal(cpuCount({ root: v2('250000 100000\n'), available: 8 }), 2);
  assert.equal(cpuCount({ root: v2('50000 100000\n'), available: 8 }), 1);
  assert.equal(cpuCount({ root: v2('1600000 100000\n'), available: 4 }), 4);
});

test("cgroup v2: the process's own cgroup and its ancestors, the smallest quota wins", () => {
  const root = v2('max 100000\n', {
    'proc/self/cgroup': '0::/kubepods/pod1/ctr\n',
    'sys/fs/cgroup/kubepods/cpu.max': 'max 100000\n',
    'sys/fs/cgroup/kubepods/pod1/cpu.max': '300000 100000\n',
    'sys/fs/cgroup/kubepods/pod1/ctr/cpu.max': 'max 100000\n',
  });
  assert.equal(cgroupCpuQuota(root), 3);
  assert.equal(cpuCount({ root, available: 16 }), 3);
  // A container with a cgroup namespace: /proc/self/cgroup says "/", the quota is at the mount's root.
  assert.equal(cpuCount({ root: v2('400000 100000\n'), available: 16 }), 4);
  // The path named is not under the mount (no cgroup namespace): the mount's root is the container's.
  const noNs = v2('200000 100000\n', { 'proc/self/cgroup': '0::/system.slice/docker-abc.scope\n' });
  assert.equal(cpuCount({ root: noNs, available: 16 }), 2);
});

test('cgroup v1: cpu.cfs_quota_us / cpu.cfs_period_us, -1 is no quota', () => {
  const v1 = (quota: string, mount = 'sys/fs/cgroup/cpu,cpuacct') =>
    fakeRoot({
      'proc/self/cgroup': '4:cpu,cpuacct:/docker/abc\n3:memory:/docker/abc\n',
      [`${mount}/cpu.cfs_quota_us`]: `${quota}\n`,
      [`${mount}/cpu.cfs_period_us`]: '100000\n',
    });
  assert.equal(cpuCount({ root: v1('-1'), available: 8 }), 8);
  assert.equal(cpuCount({ root: v1('300000'), available: 8 }), 3);
  assert.equal(cpuCount({ root: v1('150000', 'sys/fs/cgroup/cpu'), available: 8 }), 1);
  // Hybrid (v2 mounted at unified/ without the cpu controller): the v1 quota counts.
  const hybrid = fakeRoot({
    'proc/self/cgroup': '4:cpu,cpuacct:/\n0::/\n',
    'sys/fs/cgroup/unified/cgroup.controllers': '',
    'sys/fs/cgroup/cpu/cpu.cfs_quota_us': '200000\n',
    'sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n',
  });
  assert.equal(cpuCount({ root: hybrid, available: 8 }), 2);
});

test('no cgroup files at all (macOS, a bare /proc): the CPUs available', () => {
  assert.equal(cgroupCpuQuota(fakeRoot({})), null);
  assert.equal(cpuCount({ root: fakeRoot({}), available: 6 }), 6);
  assert.equal(cpuCount({ root: fakeRoot({}), available: 0 }), 1);
});
