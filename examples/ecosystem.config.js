// A PM2-style ecosystem file: `tend start examples/ecosystem.config.js` (field names are PM2's).
module.exports = {
  apps: [
    {
      name: 'hello',
      script: './hello.js',
      wait_ready: true,
      listen_timeout: 5000,
      env: { PORT: 3000 },
      // In production (a container: `tend export k8s … --env production`), on every address of the pod.
      env_production: { PORT: 8080, HOST: '0.0.0.0', NODE_ENV: 'production' },
      // Restarted if it stops answering (3 failures in a row, one check every 10 s).
      liveness_probe: { http_get: { port: '$PORT', path: '/' } },
    },
    {
      name: 'worker',
      script: './worker.js',
      max_restarts: 10,
      exp_backoff_restart_delay: 100,
      // Started once hello serves (`tend graph` shows the tree).
      depends_on: { hello: { condition: 'process_healthy' } },
    },
  ],
};
