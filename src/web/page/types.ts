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

/** CPU (percent of one core) and memory (bytes) samples, oldest first, one per `interval_ms`. */
export interface Series {
  cpu: number[];
  memory: number[];
}
/** GET /api/v1/stats: keys are `<app>:<instance_id>` (the instance number within the app). */
export interface Stats {
  interval_ms: number;
  instances: Record<string, Series>;
}
/** The `stats` SSE event: one new sample per instance (a number), or several (an array). */
export interface StatsSample {
  at?: number;
  instances: Record<string, { cpu: number | number[]; memory: number | number[] }>;
}

/** One timeline entry as the server keeps it: a bus event with the time it happened. */
export interface TimelineEntry {
  seq?: number;
  at: number;
  event: string;
  data: Record<string, unknown>;
}

export interface Snapshot {
  processes: ProcessInfo[];
  timeline?: { events: unknown[] } | unknown[];
  stats?: Stats;
}

export interface LogLine {
  app: string;
  instance_id: number;
  stream: 'out' | 'err';
  line: string;
  at: number;
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
