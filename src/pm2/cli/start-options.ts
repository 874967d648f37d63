// The flags of `tend-pm2 start` (and of restart/reload where PM2 takes them): every field flag tend's own
// `start` has (declared with the field in config/registry, same parsers), plus PM2's own spellings and the
// flags PM2 scripts pass that mean nothing here (accepted, some with a warning). Turns the flags the user
// gave into app fields.
import { type Command, Option } from 'commander';
import { KIND_PARSERS } from '../../cli/options.js';
import { FIELDS, type FieldDef, type Flag, plainText } from '../../config/registry/index.js';

/** commander's attribute of each field flag → the field it sets. Filled by addFieldFlags. */
const FLAG_FIELDS = new Map<string, string>();
/** Switches that set a field to a value (`-x`: exec_mode fork), by attribute. */
const SWITCH_VALUES = new Map<string, unknown>();

/** As src/cli/commands/start.ts builds them: the field kind's parser, the registry's help. */
function fieldOption(f: FieldDef, flag: Flag): Option {
  const option = new Option(flag.syntax, plainText(flag.help ?? f.doc));
  const parse = KIND_PARSERS[f.kind];
  if (/[<[]/.test(flag.syntax) && parse)
    option.argParser(parse as (value: string, previous: unknown) => unknown);
  return option;
}

/** PM2's flags that are not tend field flags: attribute → field (and the value it sets, for switches). */
const PM2_FIELDS: readonly { syntax: string; help: string; field: string; value?: unknown }[] = [
  { syntax: '-x, --execute-command', help: 'fork mode (exec_mode fork)', field: 'exec_mode', value: 'fork' },
  { syntax: '-c <cron>', help: 'same as --cron-restart', field: 'cron_restart' },
  { syntax: '--args <args>', help: 'arguments for the script (split as a shell would)', field: 'args' },
  {
    syntax: '--instance-var <name>',
    help: 'instance_var (default NODE_APP_INSTANCE)',
    field: 'instance_var',
  },
  {
    syntax: '--increment-var <name>',
    help: 'increment_var: a variable +1 per instance',
    field: 'increment_var',
  },
];

/** Accepted, not used: PM2's monitoring, source-control metadata and display switches. */
const ACCEPTED = [
  ['--no-vizion', "PM2's git metadata (tend has none): accepted"],
  ['--vizion', 'accepted'],
  ['--no-pmx', "PM2's monitoring agent (tend has none): accepted"],
  ['--no-automation', 'accepted'],
  ['--disable-trace', 'accepted'],
  ['--trace', 'accepted (no tracing in tend)'],
  ['--deep-monitoring', 'accepted'],
  ['--source-map-support', 'accepted (use --node-args --enable-source-maps)'],
  ['--disable-source-map-support', 'accepted'],
  ['--no-color', 'accepted (tend-pm2 prints no colour)'],
  ['-m, --mini-list', 'accepted'],
  ['--attach', 'accepted: use "tend-pm2 logs" after the start'],
  ['--no-daemon', 'run in the foreground: follow the logs; Ctrl-C stops the apps and the daemon'],
  ['--no-treekill', 'accepted with a warning: tend always stops the whole process tree'],
  ['-f, --force', 'accepted: tend keeps one app per name (a running one is restarted)'],
  ['-s, --silent', 'print nothing but errors (PM2_SILENT=true does the same)'],
] as const;

export function addFieldFlags(command: Command, opts: { skip?: readonly string[] } = {}): Command {
  for (const f of FIELDS as readonly FieldDef[])
    for (const flag of f.flags ?? []) {
      if (opts.skip?.includes(f.name)) continue;
      const option = fieldOption(f, flag);
      FLAG_FIELDS.set(option.attributeName(), f.name);
      command.addOption(option);
    }
  for (const p of PM2_FIELDS) {
    const option = new Option(p.syntax, p.help);
    FLAG_FIELDS.set(option.attributeName(), p.field);
    if (p.value !== undefined) SWITCH_VALUES.set(option.attributeName(), p.value);
    command.addOption(option);
  }
  return command;
}

export function addAcceptedFlags(command: Command): Command {
  for (const [syntax, help] of ACCEPTED) command.addOption(new Option(syntax, help));
  return command;
}

/** The app fields of the flags the user gave (defaults are the daemon's, and must not override a file). */
export function flagFields(opts: Record<string, unknown>, cmd: Command): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, field] of FLAG_FIELDS) {
    if (cmd.getOptionValueSource(key) !== 'cli' || opts[key] === undefined) continue;
    fields[field] = SWITCH_VALUES.has(key) ? SWITCH_VALUES.get(key) : opts[key];
  }
  return fields;
}

/**
 * What PM2 reads from its environment for apps it starts: PM2_WORKER_INTERVAL (ms between memory checks,
 * tend's memory_check_interval) and PM2_KILL_USE_MESSAGE (the 'shutdown' message instead of the stop
 * signal: shutdown_with_message, and a stop signal a process does not die of, SIGWINCH, so only the
 * message asks it to stop and SIGKILL follows after kill_timeout, as with PM2).
 */
export function envDefaults(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const interval = env.PM2_WORKER_INTERVAL;
  if (interval && /^\d+$/.test(interval)) fields.memory_check_interval = Number(interval);
  if (env.PM2_KILL_USE_MESSAGE && env.PM2_KILL_USE_MESSAGE !== 'false') {
    fields.shutdown_with_message = true;
    fields.kill_signal = 'SIGWINCH';
  }
  return fields;
}
