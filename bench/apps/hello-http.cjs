// Hello world over HTTP: the app for throughput and reload scenarios. argv: [tag, port]. Says "listening"
// once it accepts connections (each cluster worker says so for itself).
const http = require('node:http');
const notify = require('./notify.cjs');

const tag = process.argv[2] || 'hello';
const port = Number(process.argv[3] || 3000);
http
  .createServer((_req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end('hello world\n');
  })
  .listen(port, '127.0.0.1', () => notify('listening', tag));
