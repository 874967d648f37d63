// Every scenario, in the order they run and print. Each is its own module so later issues slot theirs in.
import type { Scenario } from '../lib/context.js';
import { scenario as aa } from './aa.js';
import { scenario as cliLatency } from './cli-latency.js';
import { scenario as clusterThroughput } from './cluster-throughput.js';
import { scenario as crashToServing } from './crash-to-serving.js';
import { scenario as dagStart } from './dag-start.js';
import { scenario as dashboardIdle } from './dashboard-idle.js';
import { scenario as footprint } from './footprint.js';
import { scenario as httpFootprint } from './http-footprint.js';
import { scenario as logThroughput } from './log-throughput.js';
import { scenario as metricsScrape } from './metrics-scrape.js';
import { scenario as pm2Compat } from './pm2-compat.js';
import { scenario as probeCpu } from './probe-cpu.js';
import { scenario as protocolFlood } from './protocol-flood.js';
import { scenario as recovery } from './recovery.js';
import { scenario as reloadProbe } from './reload-probe.js';
import { scenario as reloadUnderLoad } from './reload-under-load.js';
import { scenario as runtime } from './runtime.js';
import { scenario as scale } from './scale.js';
import { scenario as sseLatency } from './sse-latency.js';
import { scenario as startMany } from './start-many.js';

export const scenarios: readonly Scenario[] = [
  cliLatency,
  footprint,
  startMany,
  crashToServing,
  clusterThroughput,
  logThroughput,
  reloadUnderLoad,
  scale,
  recovery,
  probeCpu,
  dagStart,
  reloadProbe,
  metricsScrape,
  httpFootprint,
  dashboardIdle,
  sseLatency,
  protocolFlood,
  // issue 15 (PID-1/probe piece): tend-runtime against node app.js and pm2-runtime.
  runtime,
  pm2Compat,
  aa,
];
