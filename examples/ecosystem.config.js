// A PM2-style ecosystem file: `tend start examples/ecosystem.config.js` (field names are PM2's).
module.exports = {
  apps: [
    {
      name: 'hello',
      script: './hello.js',
      wait_ready: true,
      listen_timeout: 5000,
      env: { PORT: 3000 },
      env_production: { PORT: 8080, NODE_ENV: 'production' },
    },
    {
      name: 'worker',
      script: './worker.js',
      max_restarts: 10,
      exp_backoff_restart_delay: 100,
    },
  ],
};
