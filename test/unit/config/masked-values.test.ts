// A config error echoes the value it refuses ("got …") masked as `tend env` and `tend describe` mask
// (eighth audit: `port: 'postgres://u:hunter3@h/db'` printed its password): a URL's credential part, any
// other value that carries one whole, and every value of a field or variable whose name looks secret.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseDotenv } from '../../../src/config/dotenv.js';
import { describeValue } from '../../../src/config/issues.js';
import { logDefaultsFrom } from '../../../src/config/log-fields.js';
import { normalizeApps } from '../../../src/config/normalize.js';
import { maskedText } from '../../../src/config/shown-value.js';
import { loadRuntimeApps } from '../../../src/container/load-apps.js';
import { isTendError } from '../../../src/protocol/errors.js';
import { configIssues, inputFor, makeTmp, type TmpDir } from './helpers.js';

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
  tmp.write('a.js', '');
});
after(() => tmp.remove());

/** No environment value: refused, and its source (which could hold anything) is not shown. */
const aFunction = () => 'hunter3';

const issuesOf = (app: Record<string, unknown>) =>
  configIssues(() => normalizeApps(inputFor(tmp.dir, [{ name: 'x', script: 'a.js', ...app }])));

describe('values echoed by config errors', () => {
  it('a URL keeps its shape, its password (or its user alone, when that is the credential) masked', () => {
    assert.deepEqual(issuesOf({ port: 'postgres://u:hunter3@h/db' }), [
      'apps[0] (x).port: expected a port number (1 to 65535), got "postgres://u:***@h/db"',
    ]);
    assert.equal(maskedText('https://ghtoken123@github.com/o/r.git'), 'https://***@github.com/o/r.git');
    // Something else in it carries a credential too: masked whole.
    assert.equal(maskedText('https://u:p@h/x?token=abc'), '********');
    assert.equal(maskedText('8080'), '8080');
  });

  it('a value that carries a credential otherwise is masked whole', () => {
    assert.deepEqual(issuesOf({ cwd: 'Bearer eyabcdefghijkl' }), [
      'apps[0] (x).cwd: expected an existing directory, got "********"',
    ]);
  });

  it('a variable or field whose name looks secret: its value masked, whatever it is', () => {
    assert.deepEqual(issuesOf({ env: { DB_PASSWORD: aFunction } }), [
      'apps[0] (x).env.DB_PASSWORD: expected a string, number or boolean, got "********"',
    ]);
    assert.match(
      issuesOf({ increment_var: 'API_TOKEN', env: { API_TOKEN: 'hunter3' } }).join('\n'),
      /env\.API_TOKEN must hold the integer .*, got "\*{8}"$/,
    );
    assert.equal(describeValue({ user: 'u', password: 'hunter3' }), '{"user":"u","password":"********"}');
    assert.equal(describeValue(['--password', 'hunter3', '-v']), '["--password","********","-v"]');
  });

  it('TEND_LOG_* variables and env files: the same masking', () => {
    const { issues } = logDefaultsFrom({ TEND_LOG_MAX_SIZE: 'redis://:hunter3@cache:6379' });
    assert.deepEqual(
      issues.map((i) => i.message),
      ['expected a size: bytes, or a string such as "10M", "512K" or "1G", got "redis://:***@cache:6379"'],
    );
    const { problems } = parseDotenv('DB_PASSWORD hunter3\nTOKEN="a" hunter3\nBAD LINE\n');
    assert.deepEqual(
      problems.map((p) => p.message),
      [
        'expected KEY=value, got "********"',
        'TOKEN: unexpected text after the closing " quote: "********"',
        'expected KEY=value, got "BAD LINE"',
      ],
    );
  });

  it('tend-runtime with the file: the error holds no password, in its text or its data', async () => {
    const file = tmp.write(
      's2.config.js',
      `module.exports={apps:[{name:'x',script:'${tmp.dir}/a.js',port:'postgres://u:hunter3@h/db'}]}`,
    );
    await assert.rejects(
      loadRuntimeApps(
        { target: file, scriptArgs: [], only: null, envName: null },
        { PATH: '', HOME: tmp.dir },
        tmp.dir,
      ),
      (e) => {
        assert.ok(isTendError(e) && e.code === 'TEND_ERR_CONFIG_INVALID');
        assert.match(
          e.message,
          /port: expected a port number \(1 to 65535\), got "postgres:\/\/u:\*\*\*@h\/db"/,
        );
        assert.doesNotMatch(`${e.message}${JSON.stringify(e.data)}`, /hunter3/);
        return true;
      },
    );
  });
});
