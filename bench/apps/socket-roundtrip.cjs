// The floor for a CLI that asks a daemon one question: a fresh Node process connects to a Unix socket
// (argv[2], served by the bench), writes one line, reads the answer and exits.
const net = require('node:net');

const s = net.connect(process.argv[2], () => s.write('ping\n'));
s.setEncoding('utf8');
s.on('data', (d) => {
  if (d.includes('\n')) {
    process.stdout.write(d);
    s.destroy();
  }
});
s.on('error', (err) => {
  process.stderr.write(`${err.message}\n`);
  process.exitCode = 1;
});
