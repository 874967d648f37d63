// `tend export systemd|k8s|compose <file>`: the apps of an ecosystem file as systemd units, Kubernetes
// objects or a compose file (src/export/). No daemon: the file is normalised here as `start` would. The
// renderers (and zod, yaml) are loaded only when this command runs, so other commands do not pay for them.
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { EXPORT_TARGETS, type ExportTarget } from '../../export/model.js';
import { TendError } from '../../protocol/errors.js';
import { VERSION } from '../../version.js';
import { nonNegativeInt } from '../options.js';
import { warn } from '../session.js';

interface ExportFlags {
  only?: string;
  env?: string;
  out?: string;
  image?: string;
  check?: boolean;
  systemdVersion?: number;
  user?: string;
  force?: boolean;
}

export function register(program: Command): void {
  program
    .command('export')
    .argument('<target>', `what to write: ${EXPORT_TARGETS.join(', ')}`)
    .argument('<file>', 'the ecosystem file')
    .description(
      'write systemd units, Kubernetes objects or a compose file for the apps of an ecosystem file',
    )
    .option(
      '--only <names>',
      'only these apps (comma-separated, or the flag repeated; their dependencies come along)',
      // Repeated, the names add up, as with tend start's --only (tenth audit: the last one won, silently).
      (value: string, previous?: string) => (previous ? `${previous},${value}` : value),
    )
    .option('--env <name>', 'select env_<name> (passed on to tend-runtime too)')
    .option('--out <dir>', 'write the files into this directory (default: print them)')
    .option('--force', 'with --out: replace existing files that are not tend exports')
    .option('--image <image>', 'container image for k8s and compose (k8s: a placeholder otherwise)')
    .option('--check', 'run the validators this machine has on the result (non-zero on findings)')
    .option('--systemd-version <n>', "systemd version of the target machine (default: this one's)", positive)
    .option('--user <name>', 'systemd: User= of every unit')
    .addHelpText(
      'after',
      [
        '',
        'Every field without an equivalent in the target is a warning (TEND_ERR_EXPORT_UNMAPPED).',
        'Examples:',
        '  tend export systemd ecosystem.config.js --out /etc/systemd/system --user api',
        '  tend export k8s ecosystem.config.js --image registry.example.com/shop:1.4 --out deploy/',
        '  tend export compose ecosystem.config.js --out . --check',
        'Mapping tables and warnings: docs/export.md; moving to Kubernetes: docs/kubernetes.md.',
      ].join('\n'),
    )
    .action((target: string, file: string, flags: ExportFlags) => runExportCommand(target, file, flags));
}

function positive(value: string): number {
  const n = nonNegativeInt(value);
  if (n === 0) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

function targetOf(target: string): ExportTarget {
  if ((EXPORT_TARGETS as readonly string[]).includes(target)) return target as ExportTarget;
  throw new TendError('TEND_ERR_USAGE', {
    detail: `export: unknown target ${JSON.stringify(target)} (expected ${EXPORT_TARGETS.join(', ')})`,
  });
}

/** The systemd version of this machine (`systemctl --version`), or null. */
function localSystemdVersion(): number | null {
  const r = spawnSync('systemctl', ['--version'], { encoding: 'utf8' });
  const m = /^systemd (\d+)/.exec(r.stdout ?? '');
  return m ? Number(m[1]) : null;
}

/** tend-runtime's entry beside this tend's bin/tend.js, run by this Node (absolute: no PATH at boot). */
function runtimeEntry(): { node: string; entry: string } {
  let bin = process.argv[1] ?? '';
  try {
    bin = realpathSync(bin);
  } catch {
    // not a file (an embedding): the path as given
  }
  return { node: process.execPath, entry: join(dirname(bin), 'tend-runtime.js') };
}

/**
 * The export code is dist/export.cjs, a bundle of its own (it carries zod, the CLI's bundles do not); a
 * non-literal specifier keeps esbuild from pulling it into dist/cli-program.cjs. From source, the module.
 */
const EXPORT_MODULE = import.meta.url.endsWith('.cjs')
  ? new URL('./export.cjs', import.meta.url).href
  : '../../export/index.js';

async function runExportCommand(targetText: string, file: string, flags: ExportFlags): Promise<void> {
  const target = targetOf(targetText);
  const { runExport } = (await import(EXPORT_MODULE)) as typeof import('../../export/index.js');
  // The whole command (src/export/run.ts): load, render, --check, and only then make --out and write.
  await runExport(target, file, flags, {
    version: VERSION,
    runtime: runtimeEntry(),
    localSystemdVersion,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    warn: (w) => warn(`${w.app}: ${w.field}: ${w.message}`, 'TEND_ERR_EXPORT_UNMAPPED'),
  });
}
