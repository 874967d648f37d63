// The one secret rule (src/protocol/secrets.ts): `tend env` and the HTTP API mask with it, `tend export`
// never writes what it matches. By name (broad, any case) and by value (a credential whatever the name).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSecretName, isSecretValue, looksSecret } from '../../../src/protocol/secrets.js';

test('isSecretName: TOKEN, SECRET, PASS, PWD, KEY, AUTH, CREDENTIAL, PRIVATE anywhere, any case', () => {
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
  ])
    assert.ok(isSecretName(n), n);
  // PWD and OLDPWD are the shell's working directories, in every process's environment.
  for (const n of ['PATH', 'HOME', 'NODE_ENV', 'PORT', 'TOKYO', 'PWD', 'OLDPWD', 'DATABASE_URL'])
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
  for (const v of [
    'http://db:5432/x',
    'https://example.org/a:b@c',
    'postgres://user@db/x',
    'production',
    '8080',
    'a:b@c',
    'Bearer',
    '',
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
