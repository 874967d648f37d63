// The one secret rule (src/protocol/secrets.ts): `tend env` and the HTTP API mask with it, `tend export`
// never writes what it matches. By name (broad, any case) and by value (a credential whatever the name).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskedText } from '../../../src/config/shown-value.js';
import { isSecretName, isSecretValue, looksSecret } from '../../../src/protocol/secrets.js';

test('isSecretName: TOKEN, SECRET, PASS, PWD, KEY, AUTH, CREDENTIAL, PRIVATE, SALT, COOKIE, SIGNING anywhere, any case', () => {
  for (const n of [
    'GITHUB_TOKEN',
    'client_secret',
    'DB_PASSWORD',
    'DB_PASS',
    'MYSQL_PWD',
    'API_KEY',
    'KEYFILE',
    'Passwd',
    'npm_token',
    'AUTH',
    'OAUTH_CLIENT',
    'CREDENTIALS',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'PRIVATE_PEM',
    'SALT',
    'password_salt',
    'COOKIE',
    'SIGNING',
    // The tenth audit: written out by every export target.
    'DB_PW',
    'PW',
    'DB_CREDS',
    'X_SIGNATURE',
  ])
    assert.ok(isSecretName(n), n);
  // PWD and OLDPWD are the shell's working directories, in every process's environment.
  for (const n of [
    'PATH',
    'HOME',
    'NODE_ENV',
    'PORT',
    'TOKYO',
    'PWD',
    'OLDPWD',
    'DATABASE_URL',
    'PWM_MODE',
    'POWER',
  ])
    assert.ok(!isSecretName(n), n);
});

test('isSecretValue: a URL password, an authorization value, a PEM block', () => {
  for (const v of [
    'postgres://u:p4ss@db/x',
    'redis://:s3cr3t@r:6379',
    'mongodb+srv://admin:hunter2@cluster0.example.net/db?retryWrites=true',
    'amqp://guest:guest@rabbit:5672/',
    'Bearer eyJhbGciOi',
    'basic dXNlcjpwYXNz',
    'Token abc123',
    '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----',
    '-----BEGIN OPENSSH PRIVATE KEY-----',
  ])
    assert.ok(isSecretValue(v), v);
});

// Each form the second audit found written out or shown, and the harmless look-alikes kept readable.
test('isSecretValue: each credential form, anywhere in the value', () => {
  const forms: Record<string, string[]> = {
    'an authorization scheme anywhere': [
      'Authorization: Bearer hdrtok',
      'bearer lowertok',
      'Digest username="a", response="b"',
      'curl -H "Authorization: Basic dXNlcjpwYXNz" http://h/',
      'x-auth Token abc123def',
      // The ninth audit (2026-12-05): a scheme in another case after a header name was written out.
      'authorization: bearer 9f8e7d6c5b4a3210',
      "curl -fsS -H 'Authorization: BEARER 9f8e7d6c5b4a3210' http://localhost:3000/",
      "wget --header='authorization: token 9f8e7d6c5b4a3210' http://h/",
      'Proxy-Authorization: basic dXNlcjpwYXNz',
    ],
    'a key=value or JSON pair': [
      'jdbc:postgresql://db:5432/app?user=u&password=jdbcpw',
      'host=db dbname=app user=u password=kvpw',
      'Driver={PostgreSQL};Server=db;Uid=u;Password=odbcpw;',
      '{"password":"x"}',
      '{"db": {"passwd": "x2"}}',
      '//registry.npmjs.org/:_authToken=npmtok',
      'https://api.example.com/v1?api_key=qskey123',
      '/health?user=u&pass=pw1',
      '/o?X-Amz-Credential=AK%2F20260101&X-Amz-Signature=abc123',
      '/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=9f2c0a',
      'https://storage.googleapis.com/b/o?X-Goog-Credential=svc%40p.iam',
      '/?token=probetok',
      'apiKey: abc',
      'AWS_SECRET_ACCESS_KEY=abc',
      'access_key=AK1',
      'pwd=hunter2',
    ],
    'a URL with userinfo, without a password too': [
      'https://abcdef0123456789@o1.ingest.sentry.io/42',
      'https://ghtoken@github.com/org/repo.git',
      'redis://default@r:6379',
      'postgres://user@db/x',
      'x=https://u:innerpw@h',
    ],
    'scheme-less user:pw@host[:port]': [
      'a:b@c',
      'admin:execpw@127.0.0.1:3000',
      'DSN=u:pw@db.internal:5432/x',
      'user:pw@[::1]:5432',
      'DSN=u:pw@[fe80::1]/x',
      'u:p@[fe80::1%eth0]',
      'DSN=u:pw@[fe80::1%25eth0]:5432/x',
    ],
    'a JWT': ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', 'token is eyJhbGciOi.eyJzdWIi.abc-_'],
    'an AWS access key id': ['AKIAIOSFODNN7EXAMPLE', 'id=ASIAIOSFODNN7EXAMPLE'],
    'a GitHub token, a Slack webhook': [
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'https://hooks.slack.com/services/T000/B000/XXXX',
    ],
  };
  for (const [form, values] of Object.entries(forms))
    for (const v of values) assert.ok(isSecretValue(v), `${form}: ${v}`);
});

// The third audit (2026-12-04): credentials in exec probes' commands and in probe paths and headers.
test('isSecretValue: command options, header lines, query keys and prefixed keys that carry a credential', () => {
  const forms: Record<string, string[]> = {
    "curl's -u/--user user:password": [
      'curl -fsS -u admin:hunter2 http://localhost:3000/health',
      'curl -uadmin:hunter2 http://h/',
      'curl --user admin:hunter2 http://h/',
      "curl --user='admin:hunter2' http://h/",
    ],
    'a --password/--token option with a value': [
      'mysqladmin ping --password hunter2',
      'mysqladmin ping --password=hunter2',
      'psql --pass secretpw',
      'cli --token abcdef',
      'cli --api-key=abcdef',
    ],
    "mysql's -p<password>, redis-cli's -a": [
      'mysqladmin ping -phunter2',
      'mysql -u root -phunter2 -e "select 1"',
      'redis-cli -a hunter2 ping',
      'redis-cli -h r -a "hunter2" ping',
    ],
    'a header line whose name says credential': [
      "curl -H 'X-Auth: hunter2' http://h/",
      'X-Api-Key: abcdef123',
      'Cookie: session=abcdef123',
      'x-session-token: 0123456789',
    ],
    'auth, key, sig, session as query keys': [
      'curl http://localhost/health?auth=hunter2xx',
      '/health?auth=hunter2',
      'https://maps.example.com/api?key=AIzaLike',
      '/dl?file=x&sig=abcdef',
      '/x?session_id=abc',
    ],
    'prefixed keys': [
      'X-Custom: sk_live_abcdefghij0123',
      'rk_test_abcdefghij0123',
      'xoxb-1234567890-abcdefghij',
      'glpat-abcdefghijklmnopqrst',
      'npm_abcdefghijklmnopqrstuvwxyz0123456789',
      'AIzaSyA-abcdefghijklmnopqrstuvwxyz01234',
      'sk-proj-abcdefghijklmnopqrstuvwx',
      // GitHub's fine-grained tokens (the fourth audit: written into units and compose files).
      'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
      // The fifth audit: written in plain text into compose.yaml, k8s.yaml and units.
      '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',
      'hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345678',
      'SK0123456789abcdef0123456789abcdef',
      'key-0123456789abcdef0123456789abcdef',
      `dop_v1_${'0123456789abcdef'.repeat(4)}`,
      'shpat_0123456789abcdef0123456789abcdef',
      `pypi-AgEIcHlwaS5vcmc${'A'.repeat(60)}`,
      'dapi0123456789abcdef0123456789abcdef',
    ],
    'connection strings with a key': [
      'DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=Zm9vYmFyYmF6cXV4=;EndpointSuffix=core.windows.net',
      'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=abc123=',
      'BlobEndpoint=https://x.blob.core.windows.net/;SharedAccessSignature=sv=2020-08-04&ss=b&sig=abc',
    ],
    "redis-server's password options": [
      '--requirepass hunter2',
      'redis-server --port 6380 --masterauth=hunter2',
    ],
  };
  for (const [form, values] of Object.entries(forms))
    for (const v of values) assert.ok(isSecretValue(v), `${form}: ${v}`);
  // What those rules must leave alone: ids, references, options without a credential.
  for (const v of [
    'docker exec -u 1000:1000 web true',
    'curl -u "$CREDS" http://h/',
    'curl --user $USER:$PASS http://h/',
    'mysqladmin ping -p',
    'mysqladmin ping --password',
    'mysqladmin ping -p"$MYSQL_PWD"',
    'redis-cli -a "$REDIS_PASSWORD" ping',
    'redis-cli ping',
    'mkdir -p /tmp/x',
    'sort -u file',
    'cli --token $TOKEN',
    'Content-Type: application/json',
    'X-Request-Id: 0123456789',
    '/health?verbose=1&app=api',
    'monkey=banana',
    'sk-1',
    'redis-server --requirepass "$REDIS_PASSWORD"',
    'AccountName=shop;AccountKey=$KEY',
    'SharedAccessKeyName=root',
    'SG.x',
    'hf_small',
  ])
    assert.ok(!isSecretValue(v), v);
});

test('isSecretValue: harmless look-alikes stay readable', () => {
  for (const v of [
    'http://db:5432/x',
    'https://example.org/a:b@c',
    'production',
    '8080',
    'Bearer',
    '',
    'me@example.com',
    'mailto:ops@example.com',
    'git@github.com:org/repo.git',
    'localhost:6379',
    '/usr/local/bin:/usr/bin:/bin',
    'the Basic plan',
    'a token ring',
    'password_min_length=8',
    'token_ttl=3600',
    '{"token_type":"bearer"}',
    'password=',
    'sh -c \'curl -H "Authorization: Bearer $TOKEN" http://localhost:3000/\'',
    "curl -H 'authorization: bearer $TOKEN' http://localhost:3000/",
    // Challenges carry no credential (verification of the ninth audit's fix).
    'WWW-Authenticate: Basic realm=myapp',
    'www-authenticate: Bearer realm="api"',
    'Proxy-Authenticate: Basic realm=proxy',
    'Authorization: Basic',
    'token=$TOKEN',
    'AKIA-not-a-key',
    'eyJhbGciOi',
  ])
    assert.ok(!isSecretValue(v), v);
});

test('looksSecret: by name, or by value whatever the name', () => {
  assert.equal(looksSecret('API_TOKEN', 'x'), true);
  assert.equal(looksSecret('DATABASE_URL', 'postgres://u:p4ss@db/x'), true);
  assert.equal(looksSecret('DATABASE_URL', 'postgres://db/x'), false);
  assert.equal(looksSecret('AUTHORIZATION_HEADER', undefined), true);
  assert.equal(looksSecret('NODE_ENV', 'production'), false);
  assert.equal(looksSecret('NODE_ENV', undefined), false);
});

// The tenth audit (2026-12-05): forms written into k8s.yaml, units and compose files, and look-alikes kept.
test('isSecretValue: the tenth audit’s forms, and what they must leave alone', () => {
  for (const v of [
    'mongosh --quiet -u admin -p hunter2 --eval "db.ping()"',
    'mysqladmin ping -uroot -p"hunter3"',
    'curl --oauth2-bearer TOKENabc http://h/',
    'sshpass -p pw ssh host',
    'vault read -token hvs.CAESIJabcdefghijklmnopqrstuv secret/x',
    'vault login -token=s3cr3tpw',
    'openssl enc -pass pass:hunter2',
    'X-Session-Id: abc123def456',
    'X-Signature: abc123def456',
    'X-Hub-Signature-256: sha256=abcdef0123',
    'scott/S3tiger@db.example.com:1521/ORCL',
    '--db-password S4hunter2',
    'https://discord.com/api/webhooks/123456789/S5abcdefghijkl',
    '//registry.npmjs.org/:_auth=S8YWRtaW46aHVudGVyMg==',
    'https://api.telegram.org/bot123456:S24ABCdefghijklmnopqrstuvwxyz01234/sendMessage',
    // Its verification: IP hosts, the // form, an alias after sqlplus, openssl's -passin/-passout, underscores.
    'scott/tiger@10.0.0.5:1521/ORCL',
    'scott/tiger@127.0.0.1/XE',
    'sqlplus scott/tiger@//db:1521/ORCL',
    'sqlplus scott/tiger@orcl',
    'openssl rsa -passin pass:pw -in k.pem',
    'openssl req -passout pass:pw',
    'cli --db_password x1',
    'cli --api_key x1',
    // Its second verification: a password of digits.
    'sshpass -p 123456 scp dump.gz backup:/srv',
    'mongosh -u admin -p 20231205 --eval db.ping()',
  ])
    assert.ok(isSecretValue(v), v);
  for (const v of [
    'uses actions/checkout@v4',
    'ssh -p 22 host',
    'psql -p 5432',
    'npm i @types/node@20',
    'mongod --port 27017',
    'mongosh -p "$MONGO_PW"',
    'sshpass -p $PW ssh h',
    'git@github.com:org/repo.git',
    '--password-file /run/secrets/pw',
    // Git and package refs, a port mapping, references: not credentials (its verification).
    'acme/shop@main',
    'actions/checkout@main',
    'mvdan.cc/gofumpt@latest',
    'unpkg.com/react@latest',
    'team/project@release-2026',
    'unpkg.com/react@18.2.0/umd/react.js',
    'docker run --name mongo -p 27017:27017 mongo:7',
    'mongo-express -p 8081',
    'openssl enc -pass env:PW',
    'openssl enc -pass file:/run/pw',
    'npm/lodash@4.17.21/lodash.min.js',
    'org/repo@1.2.3/README.md',
    'assets/logo@2x/retina',
  ])
    assert.ok(!isSecretValue(v), v);
});

// The tenth audit: a 40 000-character value took 12 s to judge, 20 000 characters of `auth-` 277 s (tend
// export, tend env, the HTTP API). Values built to make each expression backtrack are judged in linear time;
// the test's timeout is only the safety net of a hang.
test('isSecretValue and maskedText judge a value of 200 000 characters built to backtrack', {
  timeout: 60_000,
}, () => {
  const seeds = [
    'eyJ-',
    'sqlplus ',
    'a/b@c',
    'x',
    'auth-',
    'ab ',
    'a-',
    '--a-',
    'mysql ',
    'redis-cli ',
    'mongo ',
    'x://',
    'a:',
    'a/b@',
    '1234567:',
  ];
  for (const seed of seeds) {
    const v = `${seed.repeat(Math.ceil(200_000 / seed.length))}!`;
    assert.equal(typeof isSecretValue(v), 'boolean', seed);
    assert.equal(typeof maskedText(v), 'string', seed);
  }
});
