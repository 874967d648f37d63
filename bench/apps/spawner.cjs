// A minimal supervisor, for the floors: a lean Node process that starts apps the moment the bench asks (one
// JSON line on stdin: {count, script, args, out}; "{i}" in an arg or in out becomes the instance number),
// with stdout and stderr piped: drained, or with `out`, streamed into that file as is (no line handling: the
// least a Node process manager can do with an app's output). The bench times from its request to the apps'
// own notes, so neither this process's start nor the bench's own (large) process's fork cost is counted.
// Kills its children and exits when stdin closes. argv: [tag]
const { spawn } = require('node:child_process');
const { createWriteStream } = require('node:fs');
const readline = require('node:readline');
const { notify } = require('./notify.cjs');

const children = new Set();
readline
  .createInterface({ input: process.stdin })
  .on('line', (line) => {
    const { count, script, args, out } = JSON.parse(line);
    for (let i = 0; i < count; i++) {
      const c = spawn(process.execPath, [script, ...args.map((a) => a.replace('{i}', String(i)))], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      if (out) c.stdout.pipe(createWriteStream(out.replace('{i}', String(i))));
      else c.stdout.resume();
      c.stderr.resume();
      children.add(c);
      c.on('exit', () => children.delete(c));
    }
  })
  .on('close', () => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(0);
  });
notify('ready', process.argv[2] || 'spawner');
