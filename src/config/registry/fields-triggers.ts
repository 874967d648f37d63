// The registry's fields of the restart triggers (src/triggers/): watch, memory limit, cron. Declared once here
// (see field.ts for what each entry means).
import type { FieldDef } from './field.js';

export const TRIGGER_FIELDS_DEF = [
  {
    name: 'watch',
    kind: 'watch',
    default: false,
    doc: 'restart when files change: true watches cwd; or paths relative to cwd',
    flags: [
      {
        syntax: '--watch [paths]',
        help: 'restart when files change: under cwd, or these paths (comma separated, relative to cwd)',
      },
      { syntax: '--no-watch', help: 'do not watch (overrides watch in an ecosystem file)' },
    ],
    group: 'watch, memory and cron',
    change: 'restart',
  },
  {
    name: 'ignore_watch',
    kind: 'globs',
    defaultText: "none (`node_modules`, `.git` and tend's files always)",
    doc: 'changes that never restart, besides node_modules and .git',
    flags: [
      {
        syntax: '--ignore-watch <globs>',
        help: 'changes that never restart, besides node_modules and .git (comma separated)',
      },
    ],
    group: 'watch, memory and cron',
    change: 'restart',
  },
  {
    name: 'watch_delay',
    kind: 'duration',
    default: 1000,
    doc: 'restart once no change came for this long',
    flags: [{ syntax: '--watch-delay <duration>' }],
    group: 'watch, memory and cron',
    change: 'restart',
  },
  {
    name: 'watch_options',
    kind: 'watchOptions',
    doc: 'options for the watcher (chokidar): usePolling, interval, depth…',
    group: 'watch, memory and cron',
    change: 'restart',
  },
  {
    name: 'max_memory_restart',
    kind: 'size',
    default: 0,
    defaultText: '0: no limit',
    typeText: 'size: bytes, or `"200M"`, `"512K"`, `"1G"`',
    doc: 'restart gracefully when the RSS of the process tree exceeds this, e.g. 200M',
    flags: [{ syntax: '--max-memory-restart <size>' }],
    group: 'watch, memory and cron',
    change: 'restart',
  },
  {
    name: 'memory_check_interval',
    kind: 'checkInterval',
    default: 5000,
    doc: 'how often memory is sampled for max_memory_restart',
    flags: [{ syntax: '--memory-check-interval <duration>' }],
    group: 'watch, memory and cron',
    change: 'restart',
  },
  {
    name: 'cron_restart',
    kind: 'cron',
    aliases: ['cron'],
    doc: 'restart on a schedule (cron, 5 fields or 6 with seconds); starts it if stopped',
    flags: [
      { syntax: '--cron-restart <expr>' },
      { syntax: '--cron <expr>', help: 'same as --cron-restart (PM2)' },
    ],
    group: 'watch, memory and cron',
    change: 'restart',
  },
  {
    name: 'cron_restart_tz',
    kind: 'timeZone',
    defaultText: "the daemon's local time",
    doc: 'time zone of cron_restart, e.g. Europe/Paris',
    flags: [{ syntax: '--cron-restart-tz <zone>' }],
    group: 'watch, memory and cron',
    change: 'restart',
  },
] as const satisfies readonly FieldDef[];
