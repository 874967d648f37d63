// An HTTP app that counts its probes: GET /healthz answers 200 and is counted, GET /count answers how many
// /healthz requests it has had (the bench reads it before and after a window, to know the probes ran and at
// what rate), anything else answers hello. argv: [tag, port]. Says "listening" once it accepts connections,
// and "probed" at its second probe (probing has reached its steady state).
const http = require('node:http');
const notify = require('./notify.cjs');

const tag = process.argv[2] || 'probed';
const port = Number(process.argv[3] || process.env.PORT || 3000);
let probes = 0;
http
  .createServer((req, res) => {
    res.setHeader('content-type', 'text/plain');
    if (req.url === '/healthz') {
      probes++;
      if (probes === 2) notify('probed', tag);
      res.end('ok\n');
    } else if (req.url === '/count') res.end(`${probes}\n`);
    else res.end('hello world\n');
  })
  .listen(port, '127.0.0.1', () => notify('listening', tag));
