// `tend export --check`: the validators this machine has, run on what was just rendered. Each reports
// `ok`, its findings, or why it did not run (the tool or package is absent); only findings fail the command.
//  - systemd: `systemd-analyze verify` on the unit files; its stderr must be empty (it exits 0 on unknown
//    keys and bad values, with a warning).
//  - k8s: the kubernetes-models package's schemas (`validate()`), when it is installed beside tend, and the
//    API server's rules those miss (names, port names, probes' named ports: k8s-rules.ts).
//  - compose: `docker compose config --quiet` when the plugin is there, else the compose-spec JSON Schema
//    with ajv when both are found (a tend checkout has them as development files).
//  - k8s and compose, always: the text as a YAML 1.1 reader (go-yaml) reads it, which takes NEL, LS and PS
//    for line breaks where the validators' parser does not (yaml-text.ts): any raw one is a finding.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { apiRuleFindings } from './k8s-rules.js';
import type { ExportFile, ExportTarget } from './model.js';
import { RESTART_STEPS_SINCE } from './systemd.js';
import { yaml11Difference } from './yaml-text.js';

export interface CheckReport {
  readonly validator: string;
  readonly ran: boolean;
  /** Problems found (empty: clean); when it did not run, the reason. */
  readonly findings: readonly string[];
  /** What the check could not see, said without failing (e.g. keys newer than this machine's systemd). */
  readonly notes?: readonly string[];
}

export interface CheckOptions {
  /** The systemd version the units were made for (`--systemd-version`, else this machine's). */
  readonly systemdVersion?: number | null;
}

const VALIDATOR: Record<ExportTarget, string> = {
  systemd: 'systemd-analyze verify',
  k8s: 'kubernetes-models',
  compose: 'compose',
};

export async function checkExport(
  target: ExportTarget,
  files: readonly ExportFile[],
  opts: CheckOptions = {},
): Promise<CheckReport> {
  const dir = mkdtempSync(join(tmpdir(), 'tend-export-check-'));
  try {
    for (const f of files) {
      // A name the file system refuses (ENAMETOOLONG) is a finding, never an uncoded crash: the renderers
      // refuse such names first (systemd.ts), this is for files from elsewhere.
      try {
        writeFileSync(join(dir, f.name), f.content);
      } catch (err) {
        const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        const name = f.name.length > 60 ? `${f.name.slice(0, 60)}…` : f.name;
        return { validator: VALIDATOR[target], ran: true, findings: [`${name}: cannot be written (${why})`] };
      }
    }
    if (target === 'systemd') return verifySystemd(dir, files, opts.systemdVersion ?? madeFor(files));
    const report = target === 'k8s' ? await validateK8s(files) : await validateCompose(dir, files);
    // Read as go-yaml reads it too: a raw NEL, LS or PS is a line break there and none to the validators.
    const reread = yamlFindings(files);
    if (reread.length === 0) return report;
    return { ...report, ran: true, findings: [...reread, ...(report.ran ? report.findings : [])] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a YAML 1.1 reader (go-yaml, libyaml) would read otherwise than the validators (yaml-text.ts). */
function yamlFindings(files: readonly ExportFile[]): string[] {
  return files.flatMap((f) => {
    const problem = yaml11Difference(f.content);
    return problem === null ? [] : [`${f.name}: ${problem}`];
  });
}

/** The version the units say they were made for (header.ts: `# Made for systemd N`), or null. */
function madeFor(files: readonly ExportFile[]): number | null {
  const m = files.map((f) => /^# Made for systemd (\d+) /m.exec(f.content)).find((x) => x !== null);
  return m ? Number(m[1]) : null;
}

/** The keys tend writes for a newer systemd than some machines have, and the version that knows each. */
const KEYS_SINCE: Readonly<Record<string, number>> = {
  RestartSteps: RESTART_STEPS_SINCE,
  RestartMaxDelaySec: RESTART_STEPS_SINCE,
};

/** systemd-analyze's own version, or null. */
function analyzeVersion(): number | null {
  const r = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  const m = /^systemd (\d+)/.exec(r.stdout ?? '');
  return m ? Number(m[1]) : null;
}

/**
 * `systemd-analyze verify`, stderr empty. Units made for a newer systemd than this machine's carry keys it
 * does not know (RestartSteps= for a 255 target, checked by 252): those "Unknown key" lines are not
 * findings, and a note says what was not checked; any other line still is.
 */
function verifySystemd(dir: string, files: readonly ExportFile[], target: number | null): CheckReport {
  const validator = 'systemd-analyze verify';
  const r = spawnSync('systemd-analyze', ['verify', ...files.map((f) => join(dir, f.name))], {
    encoding: 'utf8',
  });
  if (r.error) return { validator, ran: false, findings: ['systemd-analyze is not installed'] };
  const local = analyzeVersion();
  const newer = (key: string) => {
    const since = KEYS_SINCE[key];
    return since !== undefined && local !== null && local < since && target !== null && target >= since;
  };
  const skipped = new Set<string>();
  const lines = r.stderr
    .split('\n')
    .filter((l) => l.trim() !== '')
    .filter((l) => {
      const key = /Unknown key '(\w+)' in section \[Service\]/.exec(l)?.[1];
      if (key === undefined || !newer(key)) return true;
      skipped.add(key);
      return false;
    });
  if (r.status !== 0 && lines.length === 0) lines.push(`exit status ${r.status}`);
  const notes =
    skipped.size > 0
      ? [
          `this machine's systemd is ${local}, the units are for ${target}: ${[...skipped]
            .sort()
            .map((k) => `${k}=`)
            .join(
              ', ',
            )} (systemd ≥ ${Math.min(...[...skipped].map((k) => KEYS_SINCE[k] as number))}) not checked`,
        ]
      : [];
  return { validator, ran: true, findings: lines.map((l) => l.replaceAll(`${dir}/`, '')), notes };
}

/** A package installed beside tend (a non-literal specifier: the CLI bundle must not include it). */
/** tend's own folder (dist/ or src/ is one below): Node looks for an optional package from there up. */
const TEND_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

async function optionalImport(specifier: string): Promise<Record<string, unknown> | null> {
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

type Validatable = new (data: unknown) => { validate(): void };

async function validateK8s(files: readonly ExportFile[]): Promise<CheckReport> {
  const validator = 'kubernetes-models';
  const models: Record<string, Validatable | undefined> = {
    Deployment: (await optionalImport('kubernetes-models/apps/v1/Deployment'))?.Deployment as Validatable,
    Service: (await optionalImport('kubernetes-models/v1/Service'))?.Service as Validatable,
    Job: (await optionalImport('kubernetes-models/batch/v1/Job'))?.Job as Validatable,
    CronJob: (await optionalImport('kubernetes-models/batch/v1/CronJob'))?.CronJob as Validatable,
  };
  if (Object.values(models).some((m) => !m))
    return {
      validator,
      ran: false,
      findings: [
        `the kubernetes-models package is not installed where tend finds its packages (node_modules in ${TEND_ROOT} or a folder above it): \`npm install kubernetes-models\` in the project whose node_modules holds tend, or \`npm install -g kubernetes-models\` for a global tend`,
      ],
    };
  const findings: string[] = [];
  for (const f of files)
    for (const doc of parseAllDocuments(f.content)) {
      const obj = doc.toJS() as { kind?: string; metadata?: { name?: string } } | null;
      if (!obj) continue;
      const Model = models[obj.kind ?? ''];
      if (!Model) {
        findings.push(`${f.name}: no schema for kind ${obj.kind}`);
        continue;
      }
      const at = `${f.name}: ${obj.kind} ${obj.metadata?.name}`;
      try {
        new Model(obj).validate();
      } catch (err) {
        findings.push(`${at}: ${(err as Error).message}`);
      }
      // Names and port references: the API server checks them, the schemas do not.
      for (const problem of apiRuleFindings(obj)) findings.push(`${at}: ${problem}`);
    }
  return { validator, ran: true, findings };
}

/** The compose-spec schema of a tend checkout (test data; not in the published package). */
export function composeSchemaPath(): string | null {
  let here = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const file = join(here, 'test', 'fixtures', 'export', 'compose-spec.json');
    if (existsSync(file)) return file;
    here = dirname(here);
  }
  return null;
}

async function validateCompose(dir: string, files: readonly ExportFile[]): Promise<CheckReport> {
  const file = join(dir, files[0]?.name ?? 'compose.yaml');
  const docker = spawnSync('docker', ['compose', '-f', file, 'config', '--quiet'], { encoding: 'utf8' });
  if (!docker.error && !/is not a docker command|unknown (shorthand )?flag/.test(docker.stderr))
    return {
      validator: 'docker compose config',
      ran: true,
      findings: docker.status === 0 ? [] : docker.stderr.split('\n').filter(Boolean),
    };
  const validator = 'compose-spec JSON Schema (ajv)';
  const schemaFile = composeSchemaPath();
  const ajvModule = await optionalImport('ajv');
  if (!schemaFile || !ajvModule)
    return {
      validator,
      ran: false,
      findings: ['neither the docker compose plugin nor ajv with the compose-spec schema is available'],
    };
  const Ajv = (ajvModule.default ?? ajvModule) as new (
    o: object,
  ) => {
    compile(
      s: unknown,
    ): ((d: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
  };
  // The schema's $schema is draft-07 over https, which ajv does not bundle: compile without meta-validation.
  const validate = new Ajv({ strict: false, validateSchema: false, allErrors: true }).compile(
    JSON.parse(readFileSync(schemaFile, 'utf8')),
  );
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { validator, ran: true, findings: [`${files[0]?.name}: not YAML: ${(err as Error).message}`] };
  }
  const ok = validate(data);
  const findings = ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}`);
  return { validator, ran: true, findings };
}
