// The pure parts of PM2's verbs in tend: `ls --sort`, `logs --timestamp`'s format, command strings and
// directories as `start`'s argument, the TypeScript hint, `tend init`'s templates.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { timestampFormat } from '../../../src/cli/commands/logs.js';
import { initTemplate } from '../../../src/cli/init-template.js';
import { parseSort, sortProcesses } from '../../../src/cli/render/sort.js';
import { scriptArgument } from '../../../src/cli/script-argument.js';
import { directoryScript } from '../../../src/config/directory-script.js';
import { ACTIVE_FIELDS } from '../../../src/config/registry/index.js';
import { stripsTypes, typeScriptHint } from '../../../src/config/typescript-hint.js';
import { isTendError } from '../../../src/protocol/errors.js';
import type { ProcessInfo } from '../../../src/protocol/process-info.js';

const dir = mkdtempSync(join(tmpdir(), 'tend-verbs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const proc = (id: number, name: string, extra: Partial<ProcessInfo> = {}) =>
  ({ id, name, cpu: 0, memory: 0, restarts: 0, uptime_ms: 0, status: 'online', ...extra }) as ProcessInfo;

describe('ls --sort', () => {
  test('keys with an optional order; anything else is refused', () => {
    assert.deepEqual(parseSort('name'), { key: 'name', desc: false });
    assert.deepEqual(parseSort('memory:desc'), { key: 'memory', desc: true });
    assert.deepEqual(parseSort('CPU:ASC'), { key: 'cpu', desc: false });
    for (const bad of ['', 'pid', 'name:down', 'name:desc:x', 'constructor'])
      assert.equal(parseSort(bad), null, bad);
  });

  test('sorts by the key, ties in id order; uptime counts only running processes', () => {
    const list = [
      proc(0, 'b', { memory: 10, restarts: 2, uptime_ms: 50 }),
      proc(1, 'a', { memory: 30, restarts: 2, uptime_ms: 10 }),
      proc(2, 'c', { memory: 20, restarts: 1, uptime_ms: 99, status: 'stopped' }),
    ];
    const ids = (key: string) => sortProcesses(list, parseSort(key)!).map((p) => p.id);
    assert.deepEqual(ids('name'), [1, 0, 2]);
    assert.deepEqual(ids('name:desc'), [2, 0, 1]);
    assert.deepEqual(ids('memory:desc'), [1, 2, 0]);
    assert.deepEqual(ids('restarts'), [2, 0, 1]);
    assert.deepEqual(ids('restarts:desc'), [0, 1, 2]);
    assert.deepEqual(ids('uptime:desc'), [0, 1, 2]);
    assert.deepEqual(ids('id:desc'), [2, 1, 0]);
  });
});

describe('logs --timestamp [format]', () => {
  test('a date format is taken; a target in its place is refused with how to write it', () => {
    assert.equal(timestampFormat('HH:mm:ss'), 'HH:mm:ss');
    assert.equal(timestampFormat('YYYY-MM-DD-HH:mm:ss'), 'YYYY-MM-DD-HH:mm:ss');
    assert.throws(() => timestampFormat('api'), /a target goes before the flag, "tend logs api --timestamp"/);
    assert.throws(() => timestampFormat('[at] a'), /not a date format/);
    assert.throws(() => timestampFormat('web'), /not a date format/);
  });
});

describe('start: command strings and directories', () => {
  test('a command string is split as a shell would', () => {
    assert.deepEqual(scriptArgument('python3 -m http.server 8080', dir), {
      script: 'python3',
      args: ['-m', 'http.server', '8080'],
      defaults: {},
      note: null,
    });
    assert.deepEqual(scriptArgument(`bash -c 'echo "a b"; sleep 1'`, dir)?.args, [
      '-c',
      'echo "a b"; sleep 1',
    ]);
  });

  test('an open quote says how to write the command instead', () => {
    assert.throws(
      () => scriptArgument('python3 -c "print(1)', dir),
      (err) =>
        isTendError(err) &&
        err.code === 'TEND_ERR_USAGE' &&
        /tend start python3 --name web -- -m/.test(err.message),
    );
  });

  test('a plain script, a name or an existing path with spaces is left as it is', () => {
    assert.equal(scriptArgument('api', dir), null);
    writeFileSync(join(dir, 'my app.js'), '');
    assert.equal(scriptArgument('my app.js', dir), null);
  });

  test('a directory runs its package.json "main" (Node resolution), named after the package', () => {
    const d = join(dir, 'main-pkg');
    mkdirSync(join(d, 'lib'), { recursive: true });
    writeFileSync(join(d, 'package.json'), JSON.stringify({ name: '@acme/api', main: 'lib' }));
    writeFileSync(join(d, 'lib', 'index.js'), '');
    const r = scriptArgument('main-pkg', dir);
    assert.equal(r?.script, join(d, 'lib', 'index.js'));
    assert.deepEqual(r?.defaults, { name: 'api', cwd: d });
    assert.match(String(r?.note), /from package.json "main"/);
  });

  test('a directory with no package name is named after the folder, made a name (eighth audit: "my dir" was refused)', () => {
    const d = join(dir, 'my dir');
    mkdirSync(d);
    writeFileSync(join(d, 'index.js'), '');
    assert.deepEqual(scriptArgument('my dir', dir)?.defaults, { name: 'my-dir', cwd: d });
  });

  test('then "scripts.start": a node command runs the file itself, anything else npm start', () => {
    const d = join(dir, 'start-pkg');
    mkdirSync(d);
    writeFileSync(join(d, 'server.js'), '');
    writeFileSync(
      join(d, 'package.json'),
      JSON.stringify({ name: 'web', scripts: { start: 'node server.js --port 3000' } }),
    );
    assert.deepEqual(directoryScript(d), {
      script: join(d, 'server.js'),
      args: ['--port', '3000'],
      name: 'web',
      from: 'package.json "scripts.start"',
    });
    writeFileSync(join(d, 'package.json'), JSON.stringify({ scripts: { start: 'next start' } }));
    assert.deepEqual(directoryScript(d), {
      script: 'npm',
      args: ['start'],
      name: null,
      from: 'package.json "scripts.start" (npm start)',
    });
  });

  test('then index.js; a directory with nothing to run is an error naming it', () => {
    const d = join(dir, 'bare');
    mkdirSync(d);
    assert.throws(
      () => directoryScript(d),
      (err) => isTendError(err) && err.code === 'TEND_ERR_SCRIPT_NOT_FOUND' && err.message.includes(d),
    );
    writeFileSync(join(d, 'index.js'), '');
    assert.equal(directoryScript(d).script, join(d, 'index.js'));
    writeFileSync(join(d, 'package.json'), '{ broken');
    assert.throws(
      () => directoryScript(d),
      (err) => isTendError(err) && err.code === 'TEND_ERR_CONFIG_INVALID',
    );
  });
});

describe('the TypeScript hint', () => {
  const base = {
    location: 'apps[0] (api)',
    script: '/srv/api.ts',
    interpreter: '/usr/bin/node',
    interpreterArgs: [],
    execPath: '/usr/bin/node',
  };
  test('Node strips types from 22.18 and 23.6', () => {
    assert.deepEqual(['20.19.0', '22.17.1', '22.18.0', '23.5.0', '23.6.0', '24.0.0'].map(stripsTypes), [
      false,
      false,
      true,
      false,
      true,
      true,
    ]);
  });
  test('a .ts script on an older Node without a loader gets the note; with one, or on a newer Node, none', () => {
    assert.match(
      String(typeScriptHint({ ...base, nodeVersion: '20.19.0' })),
      /^apps\[0\] \(api\): \/srv\/api.ts is TypeScript.*--import tsx.*\(TEND_ERR_NOTICE\)$/,
    );
    assert.equal(
      typeScriptHint({ ...base, nodeVersion: '20.19.0', interpreterArgs: ['--import', 'tsx'] }),
      null,
    );
    assert.equal(
      typeScriptHint({ ...base, nodeVersion: '20.19.0', interpreterArgs: ['--require=ts-node/register'] }),
      null,
    );
    assert.equal(typeScriptHint({ ...base, nodeVersion: '24.1.0' }), null);
    assert.equal(typeScriptHint({ ...base, nodeVersion: '20.19.0', interpreter: '/usr/bin/tsx' }), null);
    assert.equal(typeScriptHint({ ...base, nodeVersion: '20.19.0', script: '/srv/api.js' }), null);
  });
});

describe('tend init', () => {
  const activeKeys = (app: Record<string, unknown>) => Object.keys(app).filter((k) => !k.startsWith('env'));
  test('the YAML sample parses, and its active fields are fields tend knows', () => {
    const doc = parseYaml(initTemplate('yaml')) as { apps: Record<string, unknown>[] };
    assert.equal(doc.apps.length, 1);
    const app = doc.apps[0]!;
    assert.equal(app.script, 'index.js');
    for (const k of activeKeys(app)) assert.ok(ACTIVE_FIELDS.has(k), k);
    assert.deepEqual(app.env_production, { NODE_ENV: 'production' });
  });
  test('the JavaScript samples evaluate to the same apps', async () => {
    const cjs = join(dir, 'eco.config.cjs');
    const mjs = join(dir, 'eco.config.mjs');
    writeFileSync(cjs, initTemplate('cjs'));
    writeFileSync(mjs, initTemplate('esm'));
    const a = (await import(cjs)).default;
    const b = (await import(mjs)).default;
    assert.deepEqual(a, b);
    const yaml = parseYaml(initTemplate('yaml')) as unknown;
    assert.deepEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(yaml)));
    assert.match(initTemplate('cjs'), /\/\/ max_memory_restart: '300M', \/\/ restart above this memory/);
  });
});
