// The process table of `list` (and of start/stop/restart/delete): one row per instance, in aligned
// columns without borders (like `kubectl get` or `docker ps`: easy to read, to grep and to cut). text-table
// renders in about a millisecond; `tend ls` runs in loops and its cost is mostly start-up.
import { stripVTControlCharacters } from 'node:util';
import textTable from 'text-table';
import type { ProcessInfo } from '../../protocol/process-info.js';
import { formatBytes, formatDuration, readyText, statusStyle, statusText } from './format.js';
import { paint } from './style.js';

const HEAD = [
  'ID',
  'NAME',
  'NAMESPACE',
  'MODE',
  'PID',
  'STATUS',
  'READY',
  'RESTARTS',
  'UPTIME',
  'CPU',
  'MEMORY',
];

export function renderTable(
  processes: readonly ProcessInfo[],
  opts: { colour: boolean; now: number },
): string {
  if (processes.length === 0) return 'No processes. Start one with: tend start <script> --name <name>';
  const { colour, now } = opts;
  const rows = processes.map((p) => [
    String(p.id),
    // A watched app says so next to its name (jlist: `watching`).
    paint('bold', p.name, colour) + (p.watching ? paint('dim', ' (watch)', colour) : ''),
    p.namespace,
    p.mode,
    p.pid === null ? '-' : String(p.pid),
    paint(statusStyle(p.status), statusText(p, now), colour),
    readyText(p, colour),
    String(p.restarts),
    p.status === 'online' ? formatDuration(p.uptime_ms) : '-',
    p.pid === null ? '-' : `${p.cpu.toFixed(0)}%`,
    p.pid === null ? '-' : formatBytes(p.memory),
  ]);
  return textTable([HEAD.map((h) => paint('dim', h, colour)), ...rows], {
    hsep: '   ',
    // Widths are measured without the colour codes.
    stringLength: (s: string) => stripVTControlCharacters(s).length,
  });
}
