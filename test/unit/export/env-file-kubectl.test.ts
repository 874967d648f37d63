// The Kubernetes export references env_file as a Secret made by `kubectl create secret generic …
// --from-env-file=<file>`, and kubectl reads that file far more plainly than tend's dotenv (env_file.go:
// the value as it is, quotes and comments included; a name it does not take refuses the whole file). The
// export warns per variable: the file and line, both readings (never a secret-looking value), the fix.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { composeDifferences } from '../../../src/export/compose-env-file.js';
import { kubectlDifferences, parseKubectlEnvFile } from '../../../src/export/kubectl-env-file.js';
import type { ExportWarning } from '../../../src/export/model.js';
import { runExport } from '../../../src/export/run.js';
import { VERSION } from '../../../src/version.js';
import { appsFixtures, EXPORT_FIXTURES } from './support.js';

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
      const warnings: ExportWarning[] = [];
      await runExport(
        'k8s',
        file,
        { image: 'img:1' },
        {
          version: VERSION,
          runtime: { node: process.execPath, entry: join(EXPORT_FIXTURES, 'app.cjs') },
          localSystemdVersion: () => null,
          env: { ...process.env, TEND_HOME: join(dir, 'home') },
          stdout: () => {},
          stderr: () => {},
          warn: (w) => warnings.push(w),
        },
      );
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
