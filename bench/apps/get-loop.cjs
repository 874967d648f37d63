// The floor of HTTP probing: a bare Node process that does what an HTTP probe does, and nothing else. Every
// PERIOD ms it sends one GET to each port, as tend's http_get probe does (node:http, a new connection each,
// no keep-alive agent, the response destroyed once its status line is in), and counts the 2xx answers.
// argv: [tag, periodMs, path, ...ports]. Says "ready" once the first round is answered.
const http = require('node:http');
const notify = require('./notify.cjs');

const [tag = 'get-loop', period = '1000', path = '/', ...ports] = process.argv.slice(2);
let answered = 0;
let told = false;
const one = (port) => {
  const req = http.request({
    host: '127.0.0.1',
    port: Number(port),
    path,
    method: 'GET',
    headers: { 'user-agent': 'bench-get-loop' },
    agent: false,
  });
  req.on('response', (res) => {
    res.destroy();
    if (res.statusCode >= 200 && res.statusCode < 300) answered++;
    if (!told && answered >= ports.length) {
      told = true;
      notify('ready', tag);
    }
  });
  req.on('error', () => {});
  req.end();
};
for (const port of ports) setInterval(() => one(port), Number(period));
