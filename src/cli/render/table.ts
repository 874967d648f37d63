// The process table of `list` (and of start/stop/restart/delete): one row per instance.
import Table from 'cli-table3';
import type { ProcessInfo } from '../../protocol/process-info.js';
import { formatBytes, formatDuration, statusStyle, statusText } from './format.js';
import { paint } from './style.js';

const HEAD = ['id', 'name', 'namespace', 'mode', 'pid', 'status', 'restarts', 'uptime', 'cpu', 'memory'];

export function renderTable(
  processes: readonly ProcessInfo[],
  opts: { colour: boolean; now: number },
): string {
  if (processes.length === 0) return 'No processes. Start one with: tend start <script> --name <name>';
  const { colour, now } = opts;
  const table = new Table({
    head: HEAD.map((h) => paint('bold', h, colour)),
    style: { head: [], border: colour ? ['gray'] : [], compact: false },
    chars: colour ? {} : { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const p of processes) {
    table.push([
      String(p.id),
      paint('bold', p.name, colour),
      p.namespace,
      p.mode,
      p.pid === null ? '-' : String(p.pid),
      paint(statusStyle(p.status), statusText(p, now), colour),
      String(p.restarts),
      p.status === 'online' ? formatDuration(p.uptime_ms) : '-',
      p.pid === null ? '-' : `${p.cpu.toFixed(0)}%`,
      p.pid === null ? '-' : formatBytes(p.memory),
    ]);
  }
  return table.toString();
}
