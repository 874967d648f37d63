// `tend start <script|ecosystem file|target> [options] [-- args...]`
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { fileOverrides } from '../../config/flag-overrides.js';
import type { AppInput } from '../../config/input-types.js';
import { loadEcosystemFile } from '../../config/load-file.js';
import { FIELDS, type FieldDef, type Flag, plainText } from '../../config/registry/index.js';
import { isTendError } from '../../protocol/errors.js';
import type { ProcessInfo } from '../../protocol/process-info.js';
import { isEcosystemFile } from '../ecosystem.js';
import { argsAfterDoubleDash, callerEnv, KIND_PARSERS, list } from '../options.js';
import { reportFailures } from '../report-failures.js';
import { ARGS_IGNORED_WITH_FILE, scriptArgument } from '../script-argument.js';
import { printTable, reportRejected, warn, warnNote, withClient } from '../session.js';

type Opts = Record<string, unknown> & {
  only?: string[];
  env?: string;
  updateEnv?: boolean;
  wait?: boolean;
  deps?: boolean;
};

/** Repeatable --env-file (paths may hold commas). A pipe (`<(…)`, /dev/fd/N) is refused here: the daemon reads
 * the file, and /dev/fd/N would be one of the daemon's own descriptors. */
function envFile(value: string, previous: string[] = []): string[] {
  if (statSync(value, { throwIfNoEntry: false })?.isFile() === false) {
    throw new InvalidArgumentError(
      `expected a regular file, got "${value}" (the daemon reads env files itself: write a pipe's output to a file)`,
    );
  }
  return [...previous, value];
}

/** commander's attribute of each field flag → the field it sets (`maxRestarts` → `max_restarts`). */
const FLAG_FIELDS = new Map<string, string>();

/** A field's flag: its parser by the field's kind, and its help with the registry's default. */
function fieldOption(f: FieldDef, flag: Flag): Option {
  let help = plainText(flag.help ?? f.doc);
  const takesValue = /[<[]/.test(flag.syntax);
  if (takesValue && f.default !== undefined && !help.includes('(default'))
    help += ` (default ${plainText(f.defaultText ?? String(f.default))})`;
  const option = new Option(flag.syntax, help);
  const parse = f.kind === 'envFile' ? envFile : KIND_PARSERS[f.kind];
  if (takesValue && parse) option.argParser(parse as (value: string, previous: unknown) => unknown);
  return option;
}

export function register(program: Command): void {
  const command = program
    .command('start')
    .argument(
      '<script|file|target>',
      'a script or executable, a command string ("python3 -m http.server"), a directory (its package.json), an ecosystem file, or existing processes (name, id, namespace, all)',
    )
    .argument('[more...]', 'more targets; arguments for the script go after --')
    .description('start a script, the apps of an ecosystem file, or existing stopped processes')
    .option('--env <name>', 'use env_<name> from the ecosystem file')
    .option(
      '--update-env',
      "starting existing stopped processes: take this shell's environment (and re-read their env files)",
    )
    .option('--only <names>', 'with an ecosystem file: only these apps (comma separated)', list)
    .option('--no-wait', 'return at once, without waiting for the processes to be ready')
    .option('--no-deps', 'start the apps alone, not the dependencies they wait for (depends_on)');
  // Every other flag sets an app field: declared with the field in the registry (config/registry/).
  for (const f of FIELDS as readonly FieldDef[])
    for (const flag of f.flags ?? []) {
      const option = fieldOption(f, flag);
      FLAG_FIELDS.set(option.attributeName(), f.name);
      command.addOption(option);
    }
  command.action((first: string, more: string[], opts: Opts, cmd: Command) => start(first, more, opts, cmd));
}

function flagFields(opts: Opts, cmd: Command): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, field] of FLAG_FIELDS) {
    // Only flags the user gave: defaults belong to the daemon, and must not override an ecosystem file.
    if (cmd.getOptionValueSource(key) === 'cli' && opts[key] !== undefined) fields[field] = opts[key];
  }
  return fields;
}

async function start(first: string, more: string[], opts: Opts, cmd: Command): Promise<void> {
  const scriptArgs = argsAfterDoubleDash();
  const targets = scriptArgs ? more.slice(0, Math.max(0, more.length - scriptArgs.length)) : more;
  const fields = flagFields(opts, cmd);
  const cwd = process.cwd();
  // A path typed on the command line is the shell's (tab completion): relative to this directory.
  if (Array.isArray(fields.env_file)) fields.env_file = fields.env_file.map((p: string) => resolve(cwd, p));

  // A command string or a directory (PM2 takes both): what to run, decided before connecting.
  const special = targets.length === 0 && !isEcosystemFile(first) ? scriptArgument(first, cwd) : null;

  // An ecosystem file is loaded before connecting: while the client's socket is open, a file whose top-level
  // await never settles would hang the command instead of failing it (config/load-file.ts).
  const eco =
    !special && isEcosystemFile(first) && targets.length === 0
      ? await loadEcosystemFile(resolve(first))
      : null;

  await withClient(async (c) => {
    let processes: ProcessInfo[];
    let notes: string[] = [];
    let rejected: { code: string; message: string } | null | undefined = null;
    if (special) {
      if (special.note) warn(special.note, 'TEND_ERR_NOTICE');
      const args = [...special.args, ...(scriptArgs ?? [])];
      ({ processes, notes } = await startScript(
        c,
        special.script,
        args.length > 0 ? args : null,
        { ...special.defaults, ...fields },
        cwd,
        opts.wait !== false,
      ));
    } else if (eco) {
      const { apps, source, baseDir } = eco;
      const { overrides, ignored } = fileOverrides(fields);
      if (ignored.includes('name'))
        warn(
          '--name is ignored with an ecosystem file (each app has its own name)',
          'TEND_ERR_CONFIG_IGNORED',
        );
      if (ignored.includes('cwd'))
        warn('--cwd is ignored with an ecosystem file (set cwd in the file)', 'TEND_ERR_CONFIG_IGNORED');
      if (scriptArgs && scriptArgs.length > 0) warn(ARGS_IGNORED_WITH_FILE, 'TEND_ERR_CONFIG_IGNORED');
      if (opts.updateEnv) {
        warn(
          '--update-env is ignored when starting a file (running apps keep their environment); use "tend restart <file> --update-env"',
          'TEND_ERR_CONFIG_IGNORED',
        );
      }
      ({ processes, notes, rejected } = await c.call('app.start', {
        // Unchecked data from a file: the daemon validates every field (it is the trust boundary).
        apps: apps.map((a) => ({ ...a, ...overrides }) as AppInput),
        source,
        base_dir: baseDir,
        env: callerEnv(),
        env_name: opts.env ?? null,
        only: opts.only ?? null,
        wait: opts.wait !== false,
        no_deps: opts.deps === false,
      }));
    } else if (targets.length > 0 || (!existsSync(resolve(first)) && !scriptArgs)) {
      // Not a file: existing processes by name, id or namespace; failing that, a command on PATH.
      try {
        const update_env = opts.updateEnv ? { env: callerEnv(), file: null } : null;
        const r = await c.call('process.start', {
          target: [first, ...targets],
          update_env,
          wait: opts.wait !== false,
          no_deps: opts.deps === false,
        });
        processes = r.processes;
        notes = r.notes ?? [];
      } catch (err) {
        if (targets.length > 0 || !isTendError(err) || err.code !== 'TEND_ERR_TARGET_NOT_FOUND') throw err;
        ({ processes, notes } = await startScript(c, first, scriptArgs, fields, cwd, opts.wait !== false));
      }
    } else {
      ({ processes, notes } = await startScript(c, first, scriptArgs, fields, cwd, opts.wait !== false));
    }
    for (const n of notes) warnNote(n);
    printTable((await c.call('process.list')).processes);
    reportFailures(processes);
    reportRejected(rejected);
  });
}

function startScript(
  c: Parameters<Parameters<typeof withClient>[0]>[0],
  script: string,
  args: string[] | null,
  fields: Record<string, unknown>,
  cwd: string,
  wait: boolean,
) {
  // A script that exists here is meant from here, even when --cwd points elsewhere.
  const app: Record<string, unknown> = {
    script: existsSync(resolve(cwd, script)) ? resolve(cwd, script) : script,
    ...fields,
  };
  if (args) app.args = args;
  return c.call('app.start', {
    // Flags are checked by the daemon like a file's fields.
    apps: [app as AppInput],
    source: null,
    base_dir: cwd,
    env: callerEnv(),
    env_name: null,
    only: null,
    wait,
  });
}
