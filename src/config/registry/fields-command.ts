// The registry's fields of what runs and where: the app's identity, its command line, its instances, its
// environment. Declared once here (see field.ts for what each entry means).
import type { FieldDef } from './field.js';

export const COMMAND_FIELDS = [
  {
    name: 'name',
    kind: 'name',
    defaultText: "the script's file name without extension",
    doc: 'how you target the app (tend stop api); unique within one file',
    flags: [{ syntax: '-n, --name <name>', help: 'app name (default: the script name without extension)' }],
    group: 'process',
    change: 'identity',
  },
  {
    name: 'script',
    kind: 'script',
    aliases: ['exec'],
    required: true,
    defaultText: '',
    doc: 'the file to run, relative to cwd, or a command on PATH',
    group: 'command',
    change: 'restart',
  },
  {
    name: 'args',
    kind: 'args',
    doc: 'arguments for the script: a list, or one string split as a shell would',
    group: 'command',
    change: 'restart',
  },
  {
    name: 'cwd',
    kind: 'directory',
    defaultText: "the file's folder",
    doc: "working directory of the app, relative to the file's folder; must exist",
    flags: [{ syntax: '--cwd <path>', help: 'working directory of the app' }],
    group: 'command',
    change: 'restart',
  },
  {
    name: 'interpreter',
    kind: 'interpreter',
    aliases: ['exec_interpreter'],
    defaultText: 'by extension (see [below](#interpreter-by-extension))',
    doc: 'the program that runs the script: a command, a path, node, or none to execute the script itself',
    flags: [
      {
        syntax: '--interpreter <cmd>',
        help: 'interpreter, e.g. python3, bash (default: node for .js/.mjs/.cjs, none for executables)',
      },
    ],
    group: 'command',
    change: 'restart',
  },
  {
    name: 'interpreter_args',
    kind: 'args',
    aliases: ['node_args', 'interpreterArgs'],
    doc: 'arguments for the interpreter, before the script',
    flags: [
      { syntax: '--interpreter-args <args>', help: 'arguments for the interpreter' },
      {
        syntax: '--node-args <args>',
        help: 'arguments for the Node interpreter, e.g. "--max-old-space-size=512"',
      },
    ],
    group: 'command',
    change: 'restart',
  },
  {
    name: 'namespace',
    kind: 'namespace',
    default: 'default',
    defaultText: '`default`',
    doc: 'a group of apps: tend stop <namespace> targets every process in it',
    flags: [{ syntax: '--namespace <ns>', help: 'namespace' }],
    group: 'process',
    change: 'recreate',
  },
  {
    name: 'instances',
    kind: 'instances',
    default: 1,
    doc: 'how many processes: n, "max" or 0 (one per CPU), -n (CPUs minus n)',
    flags: [
      {
        syntax: '-i, --instances <n>',
        help: 'number of instances: a number, "max", or -n for cores minus n (a Node script runs in cluster mode)',
      },
    ],
    group: 'process',
    change: 'scale',
  },
  {
    name: 'exec_mode',
    kind: 'execMode',
    defaultText: '`fork` (see `instances`)',
    doc: 'fork: separate processes; cluster: workers of one Node cluster primary, sharing ports',
    flags: [
      { syntax: '--exec-mode <mode>', help: '"cluster" (Node scripts: workers share ports) or "fork"' },
    ],
    group: 'process',
    change: 'recreate',
  },
  {
    name: 'env',
    kind: 'envVars',
    doc: 'environment variables, on top of the environment tend start ran in',
    group: 'environment',
    change: 'update-env',
  },
  {
    name: 'port',
    kind: 'port',
    doc: "PM2's shortcut for env.PORT",
    group: 'environment',
    change: 'update-env',
  },
  {
    name: 'env_file',
    kind: 'envFile',
    doc: 'dotenv files read into the environment, under env; relative to cwd',
    flags: [
      {
        syntax: '--env-file <path>',
        help: 'read variables from a dotenv file (relative to the current directory; repeatable)',
      },
    ],
    group: 'environment',
    change: 'update-env',
  },
  // Issue 14 (metrics): the app serves its own Prometheus metrics to GET /metrics/apps.
  {
    name: 'metrics',
    kind: 'boolean',
    default: false,
    doc: "the app answers tend's metrics requests over IPC (`require('tend/metrics').serve()`): GET /metrics/apps collects them; a Node fork app gets an IPC channel for it",
    group: 'process',
    change: 'restart',
  },
  // issue 17: PM2's per-instance variables, acted on (supervisor/launch.ts).
  {
    name: 'instance_var',
    kind: 'envName',
    default: 'NODE_APP_INSTANCE',
    defaultText: '`NODE_APP_INSTANCE`',
    doc: "the variable that holds the instance's number (0 to instances − 1), in place of NODE_APP_INSTANCE",
    group: 'environment',
    change: 'restart',
  },
  {
    name: 'increment_var',
    kind: 'envName',
    doc: "a variable of the app's env (an integer, e.g. PORT) that each instance gets plus its number: 3000, 3001, …",
    group: 'environment',
    change: 'restart',
  },
] as const satisfies readonly FieldDef[];
