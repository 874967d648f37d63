// A tiny HTTP service: what tend supervises in the README's first command.
const http = require('node:http');

const port = Number(process.env.PORT ?? 3000);
// This machine only, unless HOST says otherwise: env_production sets 0.0.0.0, as a container needs (the
// kubelet's probes and a Service reach the pod's own address, not its loopback).
const host = process.env.HOST ?? '127.0.0.1';
const instance = process.env.NODE_APP_INSTANCE ?? '0';
const server = http.createServer((req, res) => {
  console.log(`${req.method} ${req.url}`);
  res.end(`hello from instance ${instance} (pid ${process.pid})\n`);
});
server.listen(port, host, () => {
  console.log(`listening on http://${host}:${port}`);
  // Tells tend the app is ready when started with --wait-ready (wait_ready: true).
  if (process.send) process.send('ready');
});
// tend's stop signal: SIGINT by default (PM2's), SIGTERM under tend-runtime (a container's).
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
