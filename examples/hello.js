// A tiny HTTP service: what tend supervises in the README's first command.
const http = require('node:http');

const port = Number(process.env.PORT ?? 3000);
const instance = process.env.NODE_APP_INSTANCE ?? '0';
const server = http.createServer((req, res) => {
  console.log(`${req.method} ${req.url}`);
  res.end(`hello from instance ${instance} (pid ${process.pid})\n`);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${port}`);
  // Tells tend the app is ready when started with --wait-ready (wait_ready: true).
  if (process.send) process.send('ready');
});
process.on('SIGINT', () => server.close(() => process.exit(0)));
