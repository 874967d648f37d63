// The Kubernetes export references env_file as a Secret made by `kubectl create secret generic …
// --from-env-file=<file>`, and kubectl reads that file far more plainly than tend's dotenv (env_file.go:
// the value as it is, quotes and comments included; a name it does not take refuses the whole file). The
// export warns per variable: the file and line, both readings (never a secret-looking value), the fix.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { AppSpec } from '../../../src/config/spec.js';
import { composeDifferences } from '../../../src/export/compose-env-file.js';
import {
  kubectlDifferences,
  parseKubectlEnvFile,
  repeatedKeyWarnings,
} from '../../../src/export/kubectl-env-file.js';
import { appsFixtures, exportWarnings } from './support.js';

const { dir, script } = appsFixtures('tend-export-envfile-k8s-');

describe("kubectl's --from-env-file syntax", () => {
  test('values as they are: quotes, comments and trailing spaces kept; no = takes the environment', () => {
    const lines = parseKubectlEnvFile('\uFEFF  A="q"\r\n# c\n\nB=x # y\nC\nD=v  \nexport E=1\n');
    assert.deepEqual(
      lines.map((l) => [l.line, l.key, l.value, l.refused]),
      [
        [1, 'A', '"q"', false],
        [4, 'B', 'x # y', false],
        [5, 'C', null, false],
        [6, 'D', 'v  ', false],
        [7, 'export E', '1', true],
      ],
    );
  });

  test('each variable kubectl reads otherwise, with the fix; secrets never shown', () => {
    assert.deepEqual(
      kubectlDifferences('PLAIN=ok\nDB_URL="postgres://db/app"\nNOTE=x # y\nAPI_TOKEN="abc123"\n'),
      [
        '2: DB_URL: tend gives "postgres://db/app", kubectl gives "\\"postgres://db/app\\""; write the value without quotes (kubectl keeps them as part of it)',
        '3: NOTE: tend gives "x", kubectl gives "x # y"; move the comment to a line of its own (kubectl keeps it as part of the value)',
        '4: API_TOKEN: tend and kubectl read the value differently (not shown: it looks secret); write the value without quotes (kubectl keeps them as part of it)',
      ],
    );
  });

  test('a value over several lines: kubectl reads its next line as a name, and refuses the file', () => {
    assert.deepEqual(kubectlDifferences('KEY="line1\nline2"\n'), [
      '2: kubectl refuses the whole file: "line2\\"" is not a variable name it takes (letters, digits, _ - ., not starting with a digit); kubectl reads one variable per line: put the value on one line (a value over several lines cannot be read)',
    ]);
  });

  test('a name kubectl does not take refuses the whole file: said, and nothing else', () => {
    assert.deepEqual(kubectlDifferences('A="q"\nexport B=1\nC =2\n'), [
      '2: kubectl refuses the whole file: "export B" is not a variable name it takes (letters, digits, _ - ., not starting with a digit); drop "export " (kubectl takes no prefix)',
      `3: kubectl refuses the whole file: "C " is not a variable name it takes (letters, digits, _ - ., not starting with a digit); remove the space before '='`,
    ]);
  });

  test('tend export k8s warns for the app and the file; plain files have nothing to say', async () => {
    const warningsOf = async (text: string) => {
      const env = join(dir, 'app.env');
      writeFileSync(env, text);
      const file = join(dir, 'eco.json');
      writeFileSync(file, JSON.stringify({ apps: [{ name: 'api', script, env_file: env }] }));
      const warnings = await exportWarnings('k8s', file, { image: 'img:1' }, join(dir, 'home'));
      return {
        env,
        said: warnings.filter((w) => w.field === 'env_file' && !/never inlined/.test(w.message)),
      };
    };
    const quoted = await warningsOf('PORT=3000\nGREETING="hello world"\n');
    assert.deepEqual(
      quoted.said.map((w) => `${w.app}: ${w.message}`),
      [
        `api: ${quoted.env}:2: GREETING: tend gives "hello world", kubectl gives "\\"hello world\\""; write the value without quotes (kubectl keeps them as part of it)`,
      ],
    );
    assert.deepEqual((await warningsOf('PORT=3000\nGREETING=hello world\n')).said, []);
  });
});

describe('a key in two env files, or twice in one: kubectl refuses the Secret', () => {
  const read = (files: Record<string, string>) => (path: string) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error('no'), { code: 'ENOENT' });
    return text;
  };
  const app = (name: string, env_file: string[]) => ({ name, env_file }) as unknown as AppSpec;

  test('each repeated key once, with every place (file:line), never the value; the merge fix', () => {
    const files = {
      '/p/base.env': 'PORT=3000\nLOG_LEVEL=info\nDB_PASSWORD=hunter2\n',
      '/p/local.env': '# local\nLOG_LEVEL=debug\nDB_PASSWORD=s3cret\nDB_PASSWORD=again\n',
    };
    const said = repeatedKeyWarnings([app('api', ['/p/base.env', '/p/local.env'])], read(files));
    assert.deepEqual(
      said.map((w) => `${w.app}: ${w.field}: ${w.message}`),
      [
        'api: env_file: LOG_LEVEL is defined at /p/base.env:2 and again at /p/local.env:2: kubectl create secret generic --from-env-file refuses a key given twice ("another key by that name already exists"), so the Secret is not made; merge the files into one for the Secret, with the value of /p/local.env:2, the one tend reads (a later file, a later line, wins)',
        'api: env_file: DB_PASSWORD is defined at /p/base.env:3, /p/local.env:3 and again at /p/local.env:4: kubectl create secret generic --from-env-file refuses a key given twice ("another key by that name already exists"), so the Secret is not made; merge the files into one for the Secret, with the value of /p/local.env:4, the one tend reads (a later file, a later line, wins)',
      ],
    );
    assert.doesNotMatch(JSON.stringify(said), /hunter2|s3cret|again"|debug|info/);
  });

  test('twice in one file; a line without = counts (kubectl adds it too); apps apart; unreadable or refused files skipped', () => {
    const files = {
      '/p/one.env': 'A=1\nB=2\nA=3\n',
      '/p/bare.env': 'C\nC=1\n',
      '/p/bad.env': 'export X=1\nX=2\n',
      '/p/other.env': 'A=9\n',
    };
    const said = repeatedKeyWarnings(
      [
        app('one', ['/p/one.env']),
        app('bare', ['/p/bare.env', '/p/missing.env']),
        app('bad', ['/p/bad.env']),
        app('other', ['/p/other.env']),
      ],
      read(files),
    ).map((w) => `${w.app}: ${w.message.split(':').slice(0, 2).join(':')}`);
    assert.deepEqual(said, [
      'one: A is defined at /p/one.env:1 and again at /p/one.env',
      'bare: C is defined at /p/bare.env:1 and again at /p/bare.env',
    ]);
  });

  test('tend export k8s warns for layered files (the audit: base.env and local.env)', async () => {
    const base = join(dir, 'base.env');
    const local = join(dir, 'local.env');
    writeFileSync(base, 'PORT=3000\nLOG_LEVEL=info\n');
    writeFileSync(local, 'LOG_LEVEL=debug\n');
    const file = join(dir, 'layered.json');
    writeFileSync(file, JSON.stringify({ apps: [{ name: 'api', script, env_file: [base, local] }] }));
    const warnings = await exportWarnings('k8s', file, { image: 'img:1' }, join(dir, 'home'));
    const said = warnings.filter((w) => w.field === 'env_file' && /defined at/.test(w.message));
    assert.equal(said.length, 1);
    // kubectl itself, where installed: the command the export prints fails as the warning says.
    const kubectl = spawnSync(
      'kubectl',
      [
        'create',
        'secret',
        'generic',
        'api-env',
        `--from-env-file=${base}`,
        `--from-env-file=${local}`,
        '--dry-run=client',
        '-o',
        'yaml',
      ],
      { encoding: 'utf8' },
    );
    if (!kubectl.error)
      assert.match(kubectl.stderr, /cannot add key LOG_LEVEL, another key by that name already exists/);
    assert.match(
      said[0]?.message ?? '',
      new RegExp(`^LOG_LEVEL is defined at ${base}:2 and again at ${local}:1: `),
    );
  });
});

describe("compose's env_file: a dotenv that interpolates $", () => {
  const said = (line: number, name: string) =>
    `${line}: ${name}: compose interpolates the $ in it ($NAME, \${NAME}, $$), tend reads it literally; quote the value with single quotes ('…'), which both read literally`;
  test('unquoted and double-quoted values with a $ expression are warned, without the value; single quotes are literal', () => {
    const file = [
      'DB_PASSWORD=pa$word',
      `URL="http://\${HOST}:3000"`,
      "LITERAL='pa$word'",
      'PRICE=5$',
      'TWO=a$$b',
      'PLAIN=x',
      '',
    ].join('\n');
    assert.deepEqual(composeDifferences(file), [said(1, 'DB_PASSWORD'), said(2, 'URL'), said(5, 'TWO')]);
  });

  test('a $ in a comment after the value is none; one on a later line of a double-quoted value is', () => {
    assert.deepEqual(composeDifferences('P=abc # costs $5\nM="multi\n$line"\n'), [said(2, 'M')]);
  });
});
