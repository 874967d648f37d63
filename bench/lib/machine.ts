// The machine the figures come from: printed with the table and stored in the JSON file.
import { cpus, freemem, loadavg, release, totalmem } from 'node:os';
import { VERSION } from '../../src/version.js';

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  freeGiB: number;
  node: string;
  os: string;
  loadAvg: number[];
  tend: string;
  pm2: string | null;
  date: string;
}

export function describeMachine(pm2: string | null): Machine {
  const c = cpus();
  return {
    cores: c.length,
    cpu: c[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()}`,
    loadAvg: loadavg().map((l) => Math.round(l * 100) / 100),
    tend: VERSION,
    pm2,
    date: new Date().toISOString(),
  };
}

export function machineLine(m: Machine): string {
  return (
    `machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB RAM (${m.freeGiB} free), ${m.os}, node ${m.node}; ` +
    `tend ${m.tend}${m.pm2 ? `, PM2 ${m.pm2}` : ''}; load average ${m.loadAvg.join(' ')}`
  );
}
