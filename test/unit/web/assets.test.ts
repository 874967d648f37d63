// The dashboard's files as the daemon serves them (dist/web, written by `npm run build`): index.html names
// the hashed bundle and stylesheet, which are served as immutable; nothing inline (the CSP allows no inline
// script or style), no eval, a light bundle; only the files of that folder are served.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadAsset } from '../../../src/web/assets.js';
import { ROOT } from '../../helpers/daemon.js';

const built = existsSync(join(ROOT, 'dist', 'web', 'index.html'));
const skip = built ? false : 'dist/web is missing: run `npm run build` first';

test('/ is index.html, never cached, naming the hashed script and stylesheet', { skip }, () => {
  const index = loadAsset('/');
  assert.ok(index);
  assert.equal(index.contentType, 'text/html; charset=utf-8');
  assert.equal(index.immutable, false);
  assert.deepEqual(loadAsset('/index.html'), index);
  const html = index.body.toString('utf8');
  const script = /<script type="module" src="\/(app-[A-Z0-9]{8}\.js)"><\/script>/.exec(html)?.[1];
  const style = /<link rel="stylesheet" href="\/(style-[A-Z0-9]{8}\.css)">/.exec(html)?.[1];
  assert.ok(script, 'the bundle is named in index.html');
  assert.ok(style, 'the stylesheet is named in index.html');
  const js = loadAsset(`/${script}`);
  const css = loadAsset(`/${style}`);
  assert.equal(js?.contentType, 'text/javascript; charset=utf-8');
  assert.equal(js?.immutable, true);
  assert.equal(css?.contentType, 'text/css; charset=utf-8');
  assert.equal(css?.immutable, true);
  // Strict CSP: every script and style comes from a file; no inline handlers or style attributes.
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/);
  assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i);
  const code = js!.body.toString('utf8');
  assert.doesNotMatch(code, /\beval\(|new Function\(|\.innerHTML\s*=|setAttribute\("style"/);
  // Light: plain modules, no framework. The figure is what ships today, with room.
  assert.ok(js!.body.length < 80_000, `bundle is ${js!.body.length} bytes`);
  assert.ok(css!.body.length < 20_000, `stylesheet is ${css!.body.length} bytes`);
  // Offline: nothing is fetched from another origin.
  assert.doesNotMatch(html + code, /https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
});

test('only the files of dist/web are served', { skip }, () => {
  assert.equal(loadAsset('/favicon.svg')?.contentType, 'image/svg+xml');
  for (const path of [
    '/../package.json',
    '/..%2Fpackage.json',
    '//etc/passwd',
    '/web/index.html',
    '/x',
    '',
    '/.gitignore',
  ])
    assert.equal(loadAsset(path), undefined, path);
});
