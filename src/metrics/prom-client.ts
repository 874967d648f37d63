// prom-client, required on first use: the first scrape (or the first app metrics checked), never when the
// HTTP layer loads. Loading it costs ~11 MiB of RSS and ~50 ms of a core (measured in tend-runtime, whose
// health listener is on by default and often never scraped; a daemon's listener likewise). Type imports
// of 'prom-client' elsewhere are free.
import { createRequire } from 'node:module';

let loaded: typeof import('prom-client') | null = null;

export function promClient(): typeof import('prom-client') {
  loaded ??= createRequire(import.meta.url)('prom-client') as typeof import('prom-client');
  return loaded;
}
