import type { AppSpec } from '../../src/config/spec.js';

/** A complete AppSpec with the documented defaults, for supervisor unit tests. */
export function makeSpec(over: Partial<AppSpec> = {}): AppSpec {
  return {
    name: 'app',
    namespace: 'default',
    script: '/srv/app.js',
    args: [],
    cwd: '/srv',
    interpreter: '/usr/bin/node',
    interpreter_args: [],
    is_node: true,
    exec_mode: 'fork',
    instances: 1,
    env: {},
    autorestart: true,
    max_restarts: 16,
    min_uptime: 1000,
    restart_delay: 0,
    exp_backoff_restart_delay: 0,
    exp_backoff_max_delay: 15000,
    kill_timeout: 5000,
    kill_signal: 'SIGINT',
    stop_exit_codes: [],
    wait_ready: false,
    listen_timeout: 3000,
    shutdown_with_message: false,
    out_file: '/dev/null',
    err_file: '/dev/null',
    stored: {},
    notes: [],
    source: null,
    ...over,
  };
}
