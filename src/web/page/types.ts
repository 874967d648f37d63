// The shapes the dashboard reads from the HTTP API (/tmp contract, docs/http.md). Protocol types are imported
// as types only: nothing of src/protocol is bundled into the page.
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

export type TimelineKind =
  | 'crash'
  | 'exit'
  | 'restart'
  | 'ready'
  | 'unready'
  | 'reload'
  | 'errored'
  | 'killed'
  | 'deleted';
/** One timeline entry, as GET /api/v1/timeline gives it (src/http/streams/timeline.ts); built the same way live. */
export interface TimelineEntry {
  seq: number;
  at: number;
  app: string;
  /** The instance number within the app, or null. */
  instance_id: number | null;
  /** The daemon-wide process id. */
  id: number;
  kind: TimelineKind;
  detail: Record<string, unknown>;
}

export interface Snapshot {
  processes: ProcessInfo[];
  timeline?: TimelineEntry[] | { events: TimelineEntry[] };
  stats?: Stats;
}

/** One line of GET /api/v1/logs/stream (src/http/streams/log-filter.ts). */
export interface LogLine {
  app: string;
  /** The instance number within the app; null when a shared file does not say. */
  instance_id: number | null;
  id: number | null;
  /** null when both streams share the file and the line does not say which. */
  stream: 'out' | 'err' | null;
  line: string;
  /** Epoch ms; null for a recent line from a file without timestamps. */
  at: number | null;
}

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
