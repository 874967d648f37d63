// An exported unit reads env_file through systemd (EnvironmentFile=, tend-runtime --no-env-file), whose
// syntax is not tend's dotenv (sixth audit: `PLAIN=bar # a comment` kept " # a comment", `export EXPORTED=1`
// was ignored, "line1\nline2" kept a backslash-n, `tick` kept its backticks). The export warns, per line
// systemd reads otherwise: the app, the file and line, the variable, both readings (never a secret-looking
// value), the fix. The systemd side models src/basic/env-file.c's parse_env_file_internal.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseDotenv } from '../../../src/config/dotenv.js';
import { envFileWarnings } from '../../../src/export/env-file-check.js';
import type { ExportTarget } from '../../../src/export/model.js';
import { parseSystemdEnvFile, systemdEnvVars } from '../../../src/export/systemd-env-file.js';
import { appsFixtures, exportWarnings } from './support.js';

const { dir, script } = appsFixtures('tend-export-envfile-');

const sd = (text: string, version: number | null = 252) =>
  Object.fromEntries([...systemdEnvVars(parseSystemdEnvFile(text, version))].map(([k, e]) => [k, e.value]));

async function warningsOf(envText: string, target: ExportTarget = 'systemd', version = 252) {
  const env = join(dir, `${target}-${version}.env`);
  writeFileSync(env, envText);
  const file = join(dir, `${target}-${version}.json`);
  writeFileSync(file, JSON.stringify({ apps: [{ name: 'api', script, env_file: env }] }));
  const warnings = await exportWarnings(
    target,
    file,
    { systemdVersion: version, image: 'img:1' },
    join(dir, 'home'),
    version,
  );
  return { env, said: warnings.filter((w) => w.field === 'env_file').map((w) => `${w.app}: ${w.message}`) };
}

describe("systemd's EnvironmentFile= syntax, as env-file.c reads it", () => {
  test('quotes, escapes, comments, whitespace', () => {
    assert.deepEqual(
      sd(
        [
          "S='a\\nb $X'",
          'D="q\\"uote \\\\ \\$ \\` \\n"',
          'U=a\\ b\\x',
          'C=one\\',
          'two',
          '; semicolon=comment',
          '  # indented=comment',
          '  K  =   v w  ',
          'E=',
          'INLINE=x # y',
          'AFTER="q"tail',
          'ML="l1',
          'l2"',
          'CR=1\r',
        ].join('\n'),
      ),
      {
        S: 'a\\nb $X',
        D: 'q"uote \\ $ ` \\n',
        U: 'a bx',
        C: 'onetwo',
        K: 'v w',
        E: '',
        INLINE: 'x # y',
        AFTER: 'qtail',
        ML: 'l1\nl2',
        CR: '1',
      },
    );
  });

  test('a name that is no shell variable is dropped; a comment ending in "\\" swallows the next line before 254', () => {
    assert.deepEqual(sd('export A=1\nmy-var=2\n1X=3\nB=4\n'), { B: '4' });
    assert.deepEqual(sd('# note \\\nA=1\nB=2\n', 252), { B: '2' });
    assert.deepEqual(sd('# note \\\nA=1\nB=2\n', 254), { A: '1', B: '2' });
    assert.deepEqual(sd('# note \\\r\nA=1\r\n', 252), { A: '1' });
  });
});

describe('tend export systemd: an env_file line systemd reads otherwise is warned', () => {
  test("the audit's four lines: app, file:line, variable, both readings, the fix", async () => {
    const text =
      'PLAIN=bar # a comment\nexport EXPORTED=1\nDQ="line1\\nline2"\nBT=`tick`\nSAME=plain value\n';
    // tend's own reading is unchanged.
    assert.deepEqual(parseDotenv(text).vars, {
      PLAIN: 'bar',
      EXPORTED: '1',
      DQ: 'line1\nline2',
      BT: 'tick',
      SAME: 'plain value',
    });
    const { env, said } = await warningsOf(text);
    assert.deepEqual(said, [
      `api: ${env}:1: PLAIN: tend gives "bar", systemd gives "bar # a comment"; move the comment to a line of its own (systemd has no comment after a value)`,
      `api: ${env}:2: EXPORTED: tend gives "1", systemd ignores the line ("export EXPORTED" is not a variable name it takes: letters, digits and _, not starting with a digit); drop "export " (systemd takes no prefix)`,
      `api: ${env}:3: DQ: tend gives "line1\\nline2", systemd gives "line1\\\\nline2"; write the value without backslash escapes: a real line break inside the double quotes, or single quotes ('…') for a literal backslash`,
      `api: ${env}:4: BT: tend gives "tick", systemd gives "\`tick\`"; quote the value with single quotes ('…'), which both read literally`,
    ]);
  });

  test('a secret-looking variable: "the value", never the value', async () => {
    const { env, said } = await warningsOf(
      'API_TOKEN=s3cr3t-value # rotated\nDATABASE_URL=postgres://u:hunter2@db/x # main\nexport SESSION_SECRET=abc\n',
    );
    assert.deepEqual(said, [
      `api: ${env}:1: API_TOKEN: tend and systemd read the value differently (not shown: it looks secret); move the comment to a line of its own (systemd has no comment after a value)`,
      `api: ${env}:2: DATABASE_URL: tend and systemd read the value differently (not shown: it looks secret); move the comment to a line of its own (systemd has no comment after a value)`,
      `api: ${env}:3: SESSION_SECRET: tend gives the value (not shown: it looks secret), systemd ignores the line ("export SESSION_SECRET" is not a variable name it takes: letters, digits and _, not starting with a digit); drop "export " (systemd takes no prefix)`,
    ]);
    assert.doesNotMatch(said.join('\n'), /s3cr3t|hunter2|abc/);
  });

  test('a comment continued by a backslash: warned for systemd 252, not for 254', async () => {
    const text = '# old \\\nHIDDEN=1\n';
    assert.deepEqual((await warningsOf(text, 'systemd', 252)).said.length, 1);
    assert.match(
      (await warningsOf(text, 'systemd', 252)).said[0] ?? '',
      /:2: HIDDEN: tend gives "1", systemd before 254 ignores the line .*; end the comment line above without a backslash$/,
    );
    assert.deepEqual((await warningsOf(text, 'systemd', 254)).said, []);
  });

  test('plain KEY=value lines: nothing to say; k8s and compose are not concerned', async () => {
    assert.deepEqual((await warningsOf('# comment\nA=1\nB = two words\nC="quoted"\n')).said, []);
    assert.deepEqual((await warningsOf('export X=1\n', 'compose')).said, []);
  });

  test('a file that cannot be read at export time: a warning that it was not checked', () => {
    const missing = join(dir, 'gone.env');
    const app = { name: 'api', env_file: [missing] } as unknown as Parameters<
      typeof envFileWarnings
    >[0][number];
    assert.deepEqual(envFileWarnings([app], 252), [
      {
        app: 'api',
        field: 'env_file',
        message: `${missing}: not checked (no such file): systemd's EnvironmentFile= syntax is not tend's (docs/export.md), check the file on the machine that has it`,
      },
    ]);
  });
});
