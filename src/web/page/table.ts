// The live process table: one row per app, expandable to its instances; sort by a column (header buttons,
// aria-sort), filter by text (`/` focuses the filter). Rows are kept by key and updated in place.
import { type ActionKind, act, type Subject } from './actions.js';
import { byId, coalesce, setText } from './dom.js';
import { createRow, type Row, statusOf, uptimeOf } from './rows.js';
import type { Store } from './store.js';
import type { ProcessInfo, Scope } from './types.js';

type SortKey = 'name' | 'status' | 'ready' | 'cpu' | 'memory' | 'restarts' | 'uptime' | 'pid' | 'mode';

export interface Table {
  render(): void;
  setScope(scope: Scope): void;
}

export function mountTable(store: Store, openDetail: (app: string) => void): Table {
  const tbody = byId<HTMLTableSectionElement>('prows');
  const filter = byId<HTMLInputElement>('filter');
  const count = byId('pcount');
  const rows = new Map<string, Row>();
  const expanded = new Set<string>();
  let sort: { key: SortKey; dir: 1 | -1 } = { key: 'name', dir: 1 };
  let scope: Scope = 'read';

  const subject = (key: string, app: string, instances: ProcessInfo[], instanceId?: number): Subject => ({
    key,
    app,
    instances,
    instanceId,
  });

  const rowFor = (key: string, kind: 'app' | 'instance', app: string, id?: number): Row => {
    let row = rows.get(key);
    if (row) return row;
    const instancesNow = () => {
      const all = store.apps().get(app) ?? [];
      return id === undefined ? all : all.filter((p) => p.id === id);
    };
    const onAction = (a: ActionKind, b: HTMLButtonElement) => {
      const inst = instancesNow();
      void act(
        a,
        subject(key, app, inst, id === undefined ? undefined : inst[0]?.instance),
        store,
        render,
        b,
      );
    };
    const onToggle = () => {
      if (expanded.has(app)) expanded.delete(app);
      else expanded.add(app);
      render();
    };
    row = createRow(key, kind, onAction, onToggle, () => openDetail(app));
    rows.set(key, row);
    return row;
  };

  const value = (key: SortKey, instances: ProcessInfo[], now: number): string | number => {
    switch (key) {
      case 'name':
        return instances[0]?.name ?? '';
      case 'status':
        return statusOf(instances).text;
      case 'ready':
        return instances.filter((p) => p.ready).length / Math.max(1, instances.length);
      case 'cpu':
        return instances.reduce((s, p) => s + (p.pid === null ? 0 : p.cpu), 0);
      case 'memory':
        return instances.reduce((s, p) => s + (p.pid === null ? 0 : p.memory), 0);
      case 'restarts':
        return instances.reduce((s, p) => s + p.restarts, 0);
      case 'uptime':
        return uptimeOf(instances, now) ?? -1;
      case 'pid':
        return instances[0]?.pid ?? -1;
      case 'mode':
        return instances[0]?.mode ?? '';
    }
  };

  const matches = (p: ProcessInfo, q: string) =>
    q === '' ||
    [p.name, p.namespace, p.status, p.reason ?? '', String(p.id), String(p.pid ?? '')].some((s) =>
      s.toLowerCase().includes(q),
    );

  function render(): void {
    const now = Date.now();
    const q = filter.value.trim().toLowerCase();
    const apps = [...store.apps()].filter(([, inst]) => inst.some((p) => matches(p, q)));
    apps.sort(([an, a], [bn, b]) => {
      const va = value(sort.key, a, now);
      const vb = value(sort.key, b, now);
      const c =
        typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
      return (c || an.localeCompare(bn)) * sort.dir;
    });
    const wanted: Row[] = [];
    for (const [name, instances] of apps) {
      const open = expanded.has(name) || (q !== '' && !name.toLowerCase().includes(q));
      const series = (list: ProcessInfo[]) => list.map((p) => store.seriesOf(p));
      const lastOf = (list: ProcessInfo[]) =>
        list
          .map((p) => store.lastRestart.get(p.id))
          .reduce((a, b) => (b && (!a || b.at > a.at) ? b : a), undefined);
      const readOnly = scope !== 'admin';
      const appRow = rowFor(`app:${name}`, 'app', name);
      appRow.update({
        name,
        instances,
        series: series(instances),
        lastRestart: lastOf(instances),
        reload: store.reloads.get(name),
        sampledAt: store.sampledAt,
        expanded: open,
        readOnly,
        now,
      });
      wanted.push(appRow);
      if (!open) continue;
      for (const p of instances) {
        const r = rowFor(`inst:${p.id}`, 'instance', name, p.id);
        r.update({
          name: `${name} [${p.instance}]`,
          instances: [p],
          series: series([p]),
          lastRestart: lastOf([p]),
          reload: undefined,
          sampledAt: store.sampledAt,
          expanded: false,
          readOnly,
          now,
        });
        wanted.push(r);
      }
    }
    // Move rows only when the order changed: moving an element takes the focus from what is inside it.
    const current = [...tbody.children];
    const same = current.length === wanted.length && wanted.every((r, i) => current[i] === r.tr);
    if (!same) {
      const focused = document.activeElement as HTMLElement | null;
      tbody.replaceChildren(...wanted.map((r) => r.tr));
      if (focused?.isConnected && document.activeElement !== focused) focused.focus();
    }
    const keep = new Set(wanted.map((r) => r.key));
    for (const key of rows.keys()) if (!keep.has(key)) rows.delete(key);
    const total = store.apps().size;
    setText(
      count,
      total === 0
        ? 'No apps yet: start one with `tend start`.'
        : `${apps.length} of ${total} apps, ${store.processes.size} instances`,
    );
  }

  // Header buttons: sort by that column; again to reverse.
  for (const b of document.querySelectorAll<HTMLButtonElement>('#ptable thead button[data-sort]')) {
    b.addEventListener('click', () => {
      const key = b.dataset.sort as SortKey;
      sort = { key, dir: sort.key === key ? (-sort.dir as 1 | -1) : 1 };
      for (const th of document.querySelectorAll('#ptable thead th')) th.removeAttribute('aria-sort');
      b.parentElement?.setAttribute('aria-sort', sort.dir === 1 ? 'ascending' : 'descending');
      render();
    });
  }
  filter.addEventListener('input', render);
  document.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement;
    if (
      e.key === '/' &&
      !/^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName) &&
      !document.querySelector('dialog[open]')
    ) {
      e.preventDefault();
      filter.focus();
    }
  });
  const scheduled = coalesce(render);
  store.on((topic) => topic !== 'connection' && scheduled());
  // Uptimes move by themselves: the text is refreshed locally, nothing is asked of the daemon.
  window.setInterval(() => {
    if (document.hidden) return;
    const now = Date.now();
    for (const r of rows.values()) if (r.tr.isConnected) r.tick(now);
  }, 1000);
  return {
    render,
    setScope(s) {
      scope = s;
      render();
    },
  };
}
