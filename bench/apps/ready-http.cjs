// Hello world over HTTP that says when it is ready, for reloads gated on readiness: once it listens it tells
// its supervisor (process.send('ready'): wait_ready, in tend and PM2 alike) and says "listening" to the bench.
// Every path answers 200 (a probe asking /readyz too). argv: [tag, port]
const http = require('node:http');
const notify = require('./notify.cjs');

const tag = process.argv[2] || 'ready-http';
const port = Number(process.argv[3] || process.env.PORT || 3000);
http
  .createServer((_req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end('hello world\n');
  })
  .listen(port, '127.0.0.1', () => {
    if (process.send) process.send('ready');
    notify('listening', tag);
  });
