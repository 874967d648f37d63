// One full, compacting garbage collection, asked for by tend-runtime once its apps are spawned: what reading
// the config left (dist/runtime-config.cjs, released by then, and the garbage its schemas leave, promoted to
// the old generation by the scavenges of the start) is freed, and the pages of the old generation it emptied
// are given back to the kernel at once, not by V8's memory reducer some 10 s later (a pod is probed first).
//
// Both halves come from the runtime's Node flags (bin/tend-runtime.js): `--expose-gc` gives the `gc` function
// called here, `--compact-on-every-full-gc` makes a full collection move the survivors together and free the
// pages it empties. Measured 2026-12-05, one app, each run PID 1 of its own PID namespace, RSS right after the
// first /readyz: no collection 46.0 MiB; a plain full one (`gc()` alone) 45.6, the objects freed but their
// pages left half empty; a compacting one 44.6. The same flags set for this one collection instead, through
// node:v8's setFlagsFromString and a throwaway context for `gc`: 44.9 (node:v8 alone costs 0.3 MiB).
// Without the flags (TEND_RUNTIME_NODE_FLAGS set otherwise) there is no `gc`: nothing is done.
// A few ms of the runtime's main thread, while its apps start on another core.

/** True when the collection ran. */
export function compactHeapOnce(): boolean {
  const gc = (globalThis as { gc?: unknown }).gc;
  if (typeof gc !== 'function') return false;
  (gc as () => void)();
  return true;
}
