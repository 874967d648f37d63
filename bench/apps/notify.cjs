// Tells the bench that this app reached a point it waits for: one line "<kind> <pid> <tag>" on the bench's
// Unix socket ($BENCH_NOTIFY). Without BENCH_NOTIFY (an app run by hand) it just calls back.
const net = require('node:net');

function notify(kind, tag, done) {
  const path = process.env.BENCH_NOTIFY;
  if (!path) {
    if (done) done();
    return;
  }
  const s = net.connect(path, () => s.end(`${kind} ${process.pid} ${tag}\n`));
  s.on('close', () => {
    if (done) done();
  });
  s.on('error', () => {});
}

/**
 * Says "<kind> <pid> <tag>" and waits until the bench answers "go" (so that several apps can be started
 * first and then set off together). Without BENCH_NOTIFY it goes at once.
 */
function notifyAndWait(kind, tag, go) {
  const path = process.env.BENCH_NOTIFY;
  if (!path) {
    go();
    return;
  }
  const s = net.connect(path, () => s.write(`${kind} ${process.pid} ${tag}\n`));
  let buf = '';
  s.setEncoding('utf8');
  s.on('data', (d) => {
    buf += d;
    if (buf.includes('go\n')) {
      s.end();
      go();
    }
  });
  s.on('error', () => {});
}

module.exports = notify;
module.exports.notify = notify;
module.exports.notifyAndWait = notifyAndWait;
