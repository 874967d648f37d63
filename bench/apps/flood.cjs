// The flooder of scenario 18 (protocol-flood), a process of its own so that its event loop is not the
// prober's. argv: <socket> <connections> <protocol version>. It says {ready} over IPC; on 'go' it opens every
// connection at once (one synchronous loop of connect() calls: they all sit in the daemon's accept queue
// together); half of them greet and ask for the list, half only connect. Once every connection is open and
// every list answered it reports {done, t0, t1} (t0: the first connect() call, t1: the last answer, both on
// the clock that performance.timeOrigin + performance.now() gives every process of the machine). On 'end' it
// exits, which closes them all.
const net = require('node:net');

const [path, count, protocol] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const greet = `${JSON.stringify({ id: 1, method: 'daemon.hello', params: { protocol, client: 'flood' } })}\n${JSON.stringify({ id: 2, method: 'process.list' })}\n`;
const clock = () => performance.timeOrigin + performance.now();
const sockets = [];

function flood() {
  let pending = count;
  let failed = 0;
  const t0 = clock();
  const settle = () => {
    if (--pending === 0) process.send({ done: true, t0, t1: clock(), failed });
  };
  for (let i = 0; i < count; i++) {
    const s = net.connect(path);
    sockets.push(s);
    let over = false;
    const finish = (ok) => {
      if (over) return;
      over = true;
      if (!ok) failed++;
      settle();
    };
    s.on('error', () => finish(false));
    s.on('close', () => finish(false));
    s.once('connect', () => {
      if (i % 2 === 1) return finish(true);
      let seen = 0;
      s.setEncoding('utf8');
      s.on('data', (chunk) => {
        for (const c of chunk) if (c === '\n') seen++;
        if (seen >= 2) finish(true);
      });
      s.write(greet);
    });
  }
}

process.on('message', (m) => {
  if (m === 'go') flood();
  else if (m === 'end') {
    for (const s of sockets) s.destroy();
    process.exit(0);
  }
});
process.send({ ready: true });
