// NODE_EXTRA_CA_CERTS moved aside for tend's own processes (src/runtime/extra-ca.ts): the environment helpers,
// and an alert webhook over https to a receiver whose certificate only the extra file vouches for (a real TLS
// handshake on 127.0.0.1; the certificate is made by openssl, skipped with the reason without it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { rootCertificates } from 'node:tls';
import { post } from '../../../src/alerts/webhook.js';
import { realClock } from '../../../src/runtime/clock.js';
import {
  extraCaFor,
  MOVED_EXTRA_CA,
  restoreExtraCa,
  withExtraCaMoved,
} from '../../../src/runtime/extra-ca.js';

const dir = mkdtempSync(join(tmpdir(), 'tend-extra-ca-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('NODE_EXTRA_CA_CERTS for tend processes', () => {
  test('moved aside for a tend process, put back by it; an environment without it is left alone', () => {
    const moved = withExtraCaMoved({ PATH: '/bin', NODE_EXTRA_CA_CERTS: '/etc/corp.pem' });
    assert.deepEqual(moved, { PATH: '/bin', [MOVED_EXTRA_CA]: '/etc/corp.pem' });
    restoreExtraCa(moved);
    assert.deepEqual(moved, { PATH: '/bin', NODE_EXTRA_CA_CERTS: '/etc/corp.pem' });
    const plain = { PATH: '/bin' };
    assert.equal(withExtraCaMoved(plain), plain);
    restoreExtraCa(plain);
    assert.deepEqual(plain, { PATH: '/bin' });
  });

  test("extraCaFor: Node's roots plus the file; none when unset or unreadable", () => {
    const roots = ['A', 'B'];
    assert.equal(extraCaFor(roots, {}), undefined);
    assert.equal(extraCaFor(roots, { NODE_EXTRA_CA_CERTS: join(dir, 'missing.pem') }), undefined);
  });

  const openssl = spawnSync('openssl', ['version']).status === 0 ? null : 'openssl is not installed';
  test('a webhook over https to a receiver whose certificate only NODE_EXTRA_CA_CERTS vouches for', {
    skip: openssl ?? false,
  }, async () => {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    const made = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    assert.equal(made.status, 0, String(made.stderr));
    let got = 0;
    const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
      got++;
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const out = { body: '{}', headers: { 'content-type': 'application/json' } };
    const saved = process.env.NODE_EXTRA_CA_CERTS;
    try {
      // This process started without that file in its store: Node's roots alone refuse the certificate.
      process.env.NODE_EXTRA_CA_CERTS = join(dir, 'missing.pem');
      const refused = await post(url, out, 5000, realClock, new AbortController().signal);
      assert.equal(refused.ok, false);
      assert.match(refused.detail, /self[- ]signed|certificate/i);
      process.env.NODE_EXTRA_CA_CERTS = cert;
      assert.deepEqual(extraCaFor(rootCertificates)?.length, rootCertificates.length + 1);
      const r = await post(url, out, 5000, realClock, new AbortController().signal);
      assert.equal(r.ok, true, r.detail);
      assert.equal(got, 1);
    } finally {
      if (saved === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
      else process.env.NODE_EXTRA_CA_CERTS = saved;
      server.close();
    }
  });
});
