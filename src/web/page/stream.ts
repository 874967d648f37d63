// The live connection: one EventSource on GET /api/v1/events (a `snapshot` first, then every bus event and
// `stats` samples). The browser reconnects by itself with Last-Event-ID (the server replays what was missed,
// or sends a fresh snapshot); when the server refuses the stream outright (its session ended), the page asks
// for the session again and shows the login form if it is gone.
import { api } from './api.js';
import type { Store } from './store.js';
import type { Snapshot, Stats, StatsPoint } from './types.js';

const BUS_EVENTS = [
  'process.state',
  'process.ready',
  'process.exit',
  'process.restart-scheduled',
  'process.deleted',
  'process.killed',
  'process.listening',
  'process.reload',
  'process.triggered',
  'process.log-dropped',
];

export interface Connection {
  close(): void;
}

export function connectEvents(store: Store, onUnauthorized: () => void): Connection {
  let es: EventSource | null = null;
  let retry: number | undefined;
  let closed = false;

  const open = () => {
    es = new EventSource('/api/v1/events');
    es.addEventListener('open', () => store.setConnected(true));
    es.addEventListener('snapshot', (m) => {
      const snap = parse<Snapshot>(m);
      if (!snap) return;
      store.snapshot(snap);
      store.setConnected(true);
      // The snapshot may leave the history out: then it is asked for once (it is 15 minutes of samples).
      if (!snap.stats)
        void api<Stats>('GET', '/api/v1/stats').then(
          (s) => store.setStats(s),
          () => {},
        );
    });
    es.addEventListener('stats', (m) => {
      const point = parse<StatsPoint>(m);
      if (point) store.addPoint(point);
    });
    for (const name of BUS_EVENTS)
      es.addEventListener(name, (m) => {
        const data = parse<Record<string, unknown>>(m);
        if (data) store.event(name, data, Number((m as MessageEvent).lastEventId) || 0);
      });
    es.addEventListener('error', () => {
      store.setConnected(false);
      if (!es || es.readyState !== EventSource.CLOSED || closed) return; // the browser retries by itself
      // Refused (not a dropped connection): a 401 means the session is gone.
      es = null;
      api('GET', '/api/v1/session').then(
        () => {
          retry = window.setTimeout(open, 2000);
        },
        (err: { status?: number }) => {
          if (err.status === 401) onUnauthorized();
          else retry = window.setTimeout(open, 5000);
        },
      );
    });
  };
  open();
  return {
    close() {
      closed = true;
      window.clearTimeout(retry);
      es?.close();
      store.setConnected(false);
    },
  };
}

function parse<T>(m: Event): T | null {
  try {
    return JSON.parse((m as MessageEvent<string>).data) as T;
  } catch {
    return null;
  }
}
