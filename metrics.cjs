'use strict';
// tend/metrics: let tend collect this process's Prometheus metrics, so `GET /metrics/apps` on tend's
// listener serves every instance's (and every cluster worker's) metrics in one exposition, each series
// labelled with app, namespace and instance_id. No dependency of its own, CommonJS so `require` and
// `import` both work. The app sets `metrics: true` in its ecosystem entry (a fork-mode app then gets an IPC
// channel) and calls serve() once:
//
//   const client = require('prom-client');
//   require('tend/metrics').serve(client.register);      // or serve(): the app's own prom-client's register
//
// tend asks `{ type: 'tend:metrics', id }` over the IPC channel; the answer is the registry's
// getMetricsAsJSON(). Outside tend (no IPC channel) serve() does nothing and returns a no-op.
const path = require('node:path');
const { createRequire } = require('node:module');

const REQUEST = 'tend:metrics';

/** The app's prom-client global registry: required from the app's entry point, not from tend's package. */
function appRegister() {
  const main = process.argv[1] ? path.resolve(process.argv[1]) : path.join(process.cwd(), 'index.js');
  return createRequire(main)('prom-client').register;
}

/**
 * Answers tend's metrics requests with `register` (a prom-client Registry, or anything with
 * getMetricsAsJSON()); without one, with the app's prom-client global registry. Returns a function that
 * stops answering.
 */
function serve(register) {
  if (typeof process.send !== 'function') return () => {};
  let registry = register;
  const onMessage = (message) => {
    if (!message || message.type !== REQUEST || typeof message.id !== 'number') return;
    const { id } = message;
    Promise.resolve()
      .then(() => {
        registry ??= appRegister();
        return registry.getMetricsAsJSON();
      })
      .then(
        (metrics) => reply({ type: REQUEST, id, metrics }),
        (err) => reply({ type: REQUEST, id, error: String(err?.message ?? err) }),
      );
  };
  const alone = process.listenerCount('message') === 0;
  process.on('message', onMessage);
  // A 'message' listener keeps the IPC channel, and so the process, alive: serving metrics must not keep an
  // app running that would otherwise exit. Only when ours is the only listener (unref is process-wide).
  if (alone && process.channel && typeof process.channel.unref === 'function') process.channel.unref();
  return () => process.off('message', onMessage);
}

function reply(message) {
  if (!process.connected) return;
  try {
    process.send(message, undefined, undefined, () => {});
  } catch {
    // the channel closed meanwhile: tend counts the missing answer
  }
}

module.exports = { serve };
