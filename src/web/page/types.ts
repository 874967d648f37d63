// The shapes the dashboard reads from the HTTP API (/tmp contract, docs/http.md). Protocol types are imported
// as types only: nothing of src/protocol is bundled into the page.

import type { LogLine } from '../../http/streams/log-filter.js';
import type { TimelineEntry, TimelineKind } from '../../http/streams/timeline.js';
import type { GraphApp } from '../../protocol/dependencies.js';
import type { EventName, TendEvent } from '../../protocol/events.js';
import type { DescribedProcess } from '../../protocol/methods/process-describe.js';
import type { ProcessInfo } from '../../protocol/process-info.js';

export type { DescribedProcess, EventName, GraphApp, ProcessInfo, TendEvent };

export type Scope = 'read' | 'admin';
export interface Session {
  scope: Scope;
  csrf: string;
}

/** CPU (a fraction of one core: 1 = one core busy) and memory (bytes) samples, oldest first. */
export interface Series {
  cpu: number[];
  memory: number[];
}
/** GET /api/v1/stats (and the snapshot's `stats`): keys are `<app>:<instance_id>` (the number within the app). */
export interface Stats {
  interval_ms: number;
  at?: number | null;
  instances: Record<string, Series>;
}
/** The `stats` SSE event: the newest point of each instance (an instance not listed is gone). */
export interface StatsPoint {
  interval_ms?: number;
  at?: number;
  instances: Record<string, { cpu: number; memory: number }>;
}

// Timeline entries and log lines: the server's own types (src/http/streams), as types only.
export type { TimelineEntry, TimelineKind };

export interface Snapshot {
  processes: ProcessInfo[];
  timeline?: TimelineEntry[] | { events: TimelineEntry[] };
  stats?: Stats;
}

export type { LogLine };

export interface DaemonInfo {
  version: string;
  pid: number;
  node: string;
  started_at: number;
  uptime_s: number;
  cpu_seconds: number;
  rss_bytes: number;
  listeners: { kind: 'api' | 'health'; url: string }[];
}
