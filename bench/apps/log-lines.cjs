// Writes numbered lines to stdout as fast as the reader takes them, then idles (so no restart writes them
// again). argv: [tag, count]. Says "begin" and waits for the bench's "go" (so several apps start writing
// together), then writes; says "written" after the last line.
// Line format: "L <tag> <n> <padding>", about 80 bytes.
const { notify, notifyAndWait } = require('./notify.cjs');

const tag = process.argv[2] || 'log';
const count = Number(process.argv[3] || 1000);
const pad = 'x'.repeat(60);

notifyAndWait('begin', tag, () => {
  // One write per line, like console.log in a real app. stdout to a pipe or a file is synchronous on Linux,
  // so nothing queues inside this process.
  for (let i = 0; i < count; i++) process.stdout.write(`L ${tag} ${i} ${pad}\n`);
  notify('written', tag);
});
setInterval(() => {}, 1 << 30);
