// The defaults a container wants where PM2's differ, applied to an app as read from a file (before it is
// normalised): what tend-runtime runs (container/load-apps.ts) and what `tend export` writes for it
// (export/load.ts), from one place so the two never disagree.
// kill_signal: SIGTERM, the signal Docker, Kubernetes and systemd stop a container or unit with, instead of
// PM2's SIGINT: an app's `process.on('SIGTERM')` drain runs under tend-runtime as it does under `node app.js`
// (under SIGINT, a Node app without a handler for it dies at once), and KillSignal=/stop_signal say what the
// app really gets. A kill_signal the file sets wins.

import { isPlainObject } from './strict-object.js';

/** The app with the container defaults it lacks; anything not an object as it is (normalize reports it). */
export function containerDefaults<T>(app: T): T {
  if (!isPlainObject(app)) return app;
  return app.kill_signal === undefined ? ({ ...app, kill_signal: 'SIGTERM' } as T) : app;
}
