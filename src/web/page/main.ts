// The dashboard's entry point (bundled by scripts/build.mjs into dist/web/app-<hash>.js): sign in, then one
// event stream feeds the table, the timeline and the detail view, and one log stream the log panel.
import { mountDaemonPanel } from './daemon-panel.js';
import { mountDetail } from './detail.js';
import { byId, setText } from './dom.js';
import { mountLogs } from './logs.js';
import { form, signIn, signOut } from './session.js';
import { Store } from './store.js';
import { connectEvents } from './stream.js';
import { mountTable } from './table.js';
import { mountTimeline } from './timeline.js';

async function main(): Promise<void> {
  const session = await signIn();
  byId('app').hidden = false;
  setText(byId('scope'), session.scope === 'admin' ? 'admin' : 'read-only');
  byId('scope').title =
    session.scope === 'admin' ? 'This session may act on apps.' : 'This session may only look (read token).';
  byId('signout').addEventListener('click', () => void signOut());

  const store = new Store();
  const detail = mountDetail(store);
  const table = mountTable(store, (app) => detail.open(app));
  table.setScope(session.scope);
  mountTimeline(store);
  const conn = byId('conn');
  store.on((t) => {
    if (t !== 'connection') return;
    setText(conn, store.connected ? 'live' : 'reconnecting…');
    conn.className = store.connected ? 'ok' : 'warn';
  });
  const logs = mountLogs(store);
  mountDaemonPanel();
  const events = connectEvents(store, () => {
    // The session ended (daemon restarted, signed out elsewhere): sign in again, then start afresh.
    events.close();
    logs.close();
    void form('The session ended: sign in again.').then(() => location.reload());
  });
  document.documentElement.dataset.ready = 'true';
}

void main();
