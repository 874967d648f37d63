// The error catalogue: stable codes, a message template and the CLI exit status. Imported by both sides and
// by the CLI without pulling in zod, so it stays a plain object. Documented in docs/errors.md.

// Each code declares the shape of its `data` (the parameter of its message template): a TendError with the
// wrong data for its code is a compile error, and docs/errors.md lists the same fields.

/** One catalogue entry; `D` is the code's data. */
interface Entry<D> {
  exit: number;
  message: (d: D) => string;
}
const entry = <D>(exit: number, message: (d: D) => string): Entry<D> => ({ exit, message });
type NoData = Record<never, never>;
/** An instance in a "not running" list. */
type Skipped = { id: number; name: string; status: string };

export const errorCatalogue = {
  TEND_ERR_TARGET_NOT_FOUND: entry<{ target: readonly string[] }>(
    2,
    (d) => `no process matches ${quoteList(d.target)}`,
  ),
  TEND_ERR_SCRIPT_NOT_FOUND: entry<{ script: string; cwd?: string | null }>(
    2,
    (d) => `script not found: ${d.script}${d.cwd ? ` (looked in ${d.cwd} and on PATH)` : ''}`,
  ),
  TEND_ERR_SCRIPT_NOT_EXECUTABLE: entry<{ script: string }>(
    2,
    (d) =>
      `script is not executable: ${d.script} (make it executable or pass --interpreter, e.g. --interpreter bash)`,
  ),
  TEND_ERR_CONFIG_INVALID: entry<{
    where?: string;
    detail: string;
    issues?: readonly { path: string; message: string }[];
  }>(2, (d) => `${d.where ? `${d.where}: ` : ''}${d.detail}`),
  // Warnings about config (exit 0: the command goes on); the CLI prints them as `warning: ... (CODE)`.
  TEND_ERR_CONFIG_IGNORED: entry<{ where?: string; detail: string }>(
    0,
    (d) => `${d.where ? `${d.where}: ` : ''}${d.detail}`,
  ),
  TEND_ERR_CONFIG_STORED: entry<{ where?: string; detail: string }>(
    0,
    (d) => `${d.where ? `${d.where}: ` : ''}${d.detail}`,
  ),
  // Warnings that are no config's: what the daemon did on its own (it recovered after a crash, a state
  // file was damaged), and output a command could not show.
  TEND_ERR_NOTICE: entry<{ detail: string }>(0, (d) => d.detail),
  TEND_ERR_LINES_SKIPPED: entry<{ detail: string }>(0, (d) => d.detail),
  TEND_ERR_LOG_FILE: entry<{ path: string; reason: string }>(
    1,
    (d) => `cannot open log file ${d.path}: ${d.reason}`,
  ),
  TEND_ERR_APP_ERRORED: entry<{ name: string; id: number; reason: string }>(
    1,
    (d) => `${d.name} [${d.id}] is errored: ${d.reason} (see "tend describe ${d.id}")`,
  ),
  TEND_ERR_NOT_READY: entry<{ name: string; id: number; reason: string }>(
    1,
    (d) => `${d.name} [${d.id}] did not become ready: ${d.reason} (see "tend describe ${d.id}")`,
  ),
  TEND_ERR_BLOCKED: entry<{ name: string; id: number; reason: string }>(
    1,
    (d) => `${d.name} [${d.id}] is blocked: ${d.reason} (see "tend graph" and "tend describe ${d.id}")`,
  ),
  // Warnings (exit 0) about depends_on: an app started with a dependency down (--no-deps, required: false),
  // an app stopped while apps that depend on it keep running.
  TEND_ERR_DEPENDENCY_DOWN: entry<{ detail: string }>(0, (d) => d.detail),
  TEND_ERR_DEPENDENTS_RUNNING: entry<{ detail: string }>(0, (d) => d.detail),
  TEND_ERR_ALREADY_RUNNING: entry<{ name: string }>(
    2,
    (d) => `${d.name} is already running (use "tend restart ${d.name}" or "tend delete ${d.name}")`,
  ),
  TEND_ERR_USAGE: entry<{ detail: string }>(2, (d) => d.detail),
  TEND_ERR_RELOAD_FAILED: entry<{
    detail: string;
    failed: { id: number; name: string; reason: string; kept?: boolean };
    reloaded: readonly number[];
    skipped: readonly number[];
  }>(1, (d) => `reload failed: ${d.detail}`),
  TEND_ERR_DAEMON_UNREACHABLE: entry<{ socket: string; reason?: string }>(
    3,
    (d) => `cannot reach the tend daemon at ${d.socket}${d.reason ? `: ${d.reason}` : ''}`,
  ),
  TEND_ERR_DAEMON_START_FAILED: entry<{ reason?: string; log: string }>(
    3,
    (d) => `the tend daemon did not start${d.reason ? `: ${d.reason}` : ''} (see ${d.log})`,
  ),
  TEND_ERR_PROTOCOL_MISMATCH: entry<{ daemon: number; client: number }>(
    3,
    (d) =>
      `the running daemon speaks protocol ${d.daemon}, this client speaks ${d.client} (run "tend kill" then retry)`,
  ),
  TEND_ERR_BAD_REQUEST: entry<{ detail: string }>(3, (d) => `bad request: ${d.detail}`),
  /** From the daemon: `limit` only. From the client, before sending: the request's size and origin too. */
  TEND_ERR_FRAME_TOO_LARGE: entry<{ limit: number; bytes?: number; method?: string; source?: string | null }>(
    3,
    (d) =>
      d.bytes === undefined
        ? `frame larger than ${d.limit} bytes`
        : `${d.source ? `${d.source} is too large to send to the daemon` : `the ${d.method ?? ''} request is too large`}: ${mib(d.bytes)} to send, the limit is ${mib(d.limit)}${d.source ? ' (split it into several files)' : ''}`,
  ),
  TEND_ERR_UNKNOWN_METHOD: entry<{ method: string }>(3, (d) => `unknown method ${d.method}`),
  TEND_ERR_CONNECTION_CLOSED: entry<{ while?: string }>(
    3,
    (d) => `the daemon closed the connection${d.while ? ` while ${d.while}` : ''}`,
  ),
  TEND_ERR_CONNECTION_TIMEOUT: entry<{ after_ms: number; waiting_for: string }>(
    3,
    (d) => `connection closed: no ${d.waiting_for} within ${d.after_ms} ms`,
  ),
  TEND_ERR_SHUTTING_DOWN: entry<NoData>(3, () => 'the daemon is shutting down'),
  TEND_ERR_SAVE_FAILED: entry<{ file: string; reason: string }>(
    1,
    (d) => `cannot save the process list to ${d.file}: ${d.reason} (the previous dump is unchanged)`,
  ),
  TEND_ERR_SAVE_EMPTY: entry<{ file: string; apps: number }>(
    1,
    (d) =>
      `no process to save: this would replace the ${d.apps} app(s) saved in ${d.file} with an empty list (use "tend save --force" to do it anyway)`,
  ),
  TEND_ERR_DUMP_NOT_FOUND: entry<{ file: string }>(
    2,
    (d) => `no saved process list: ${d.file} does not exist (run "tend save" first)`,
  ),
  TEND_ERR_DUMP_CORRUPT: entry<{ detail: string; file: string }>(
    1,
    (d) => `cannot read the saved process list: ${d.detail}`,
  ),
  TEND_ERR_DUMP_FORMAT: entry<{ file: string; detail: string }>(2, (d) => `${d.file}: ${d.detail}`),
  TEND_ERR_INTERNAL: entry<{ detail: string }>(70, (d) => `internal error: ${d.detail}`),
  TEND_ERR_STARTUP_UNSUPPORTED: entry<{ init: string; supported: string }>(
    2,
    (d) => `init system "${d.init}" is not supported (supported: ${d.supported})`,
  ),
  TEND_ERR_STARTUP_FAILED: entry<{ detail: string }>(1, (d) => `startup: ${d.detail}`),
  TEND_ERR_STARTUP_CONFLICT: entry<{ path: string; reason: string; fix: string }>(
    2,
    (d) => `startup: ${d.path} ${d.reason} (${d.fix})`,
  ),
  TEND_ERR_NOT_A_TTY: entry<{ command: string }>(
    2,
    (d) => `${d.command} needs an interactive terminal (stdin and stdout must be a TTY)`,
  ),
  TEND_ERR_NOT_RUNNING: entry<{ what?: string; detail: string; skipped?: readonly Skipped[] }>(
    1,
    (d) => `${d.what ?? 'nothing to do'}: no matching process is running (${d.detail})`,
  ),
  TEND_ERR_HOME_UNSAFE: entry<{ what: string; path: string; problem: string; fix: string }>(
    2,
    (d) => `${d.what} ${d.path} ${d.problem}: refusing to use it (${d.fix})`,
  ),
  TEND_ERR_HOME_UNWRITABLE: entry<{ what: string; path: string; reason: string; fix: string }>(
    2,
    (d) => `cannot create or write ${d.what} ${d.path}: ${d.reason} (${d.fix})`,
  ),
  TEND_ERR_HOME_PATH_TOO_LONG: entry<{ home: string; socket: string; bytes: number; limit: number }>(
    2,
    (d) =>
      `TEND_HOME ${d.home} is too long: its socket ${d.socket} would be ${d.bytes} bytes, more than a Unix socket path allows (${d.limit}); set TEND_HOME to a shorter path`,
  ),
  TEND_ERR_LOCK_HELD: entry<{ lock: string; pid: number | null; waited_ms: number; log: string }>(3, (d) =>
    d.pid === null
      ? `the start lock ${d.lock} is held by a process that did not say its pid or become ready within ${d.waited_ms} ms (see ${d.log})`
      : `the start lock ${d.lock} is held by pid ${d.pid}, which did not become ready within ${d.waited_ms} ms (a daemon stuck starting or stopping: see ${d.log}; "kill ${d.pid}" ends it)`,
  ),
  TEND_ERR_INVALID_SIGNAL: entry<{ signal: string | number }>(
    2,
    (d) =>
      `invalid signal ${JSON.stringify(d.signal)}: expected a signal name such as SIGUSR2 or USR2, or its number (see kill -l)`,
  ),
  // HTTP API and daemon settings (issue 14: src/settings, src/http).
  TEND_ERR_SETTINGS_INVALID: entry<{
    file: string;
    detail: string;
    issues?: readonly { path: string; message: string }[];
  }>(2, (d) => `${d.file}: ${d.detail}`),
  TEND_ERR_HTTP_LISTEN: entry<{ kind: string; address: string; reason: string; fix: string }>(
    1,
    (d) => `cannot listen on ${d.address} (${d.kind} listener): ${d.reason} (${d.fix})`,
  ),
  TEND_ERR_UNAUTHORIZED: entry<{ detail: string }>(3, (d) => `unauthorized: ${d.detail}`),
  TEND_ERR_FORBIDDEN: entry<{ detail: string }>(3, (d) => `forbidden: ${d.detail}`),
  // `serves`: the paths of a listener that has no OpenAPI document to point to (the health listener).
  TEND_ERR_ROUTE_NOT_FOUND: entry<{
    method: string;
    path: string;
    allow?: readonly string[];
    serves?: readonly string[];
  }>(3, (d) =>
    d.allow
      ? `${d.method} is not allowed on ${d.path} (allowed: ${d.allow.join(', ')})`
      : d.serves
        ? `no route ${d.method} ${d.path} (this listener serves only ${d.serves.join(' ')})`
        : `no route ${d.method} ${d.path} (see /api/v1/openapi.json)`,
  ),
  // issue 14, alerts: a notify hook that failed, as daemon.log says it (supervision goes on regardless).
  TEND_ERR_NOTIFY_FAILED: entry<{ hook: string; app: string; event: string; reason: string }>(
    1,
    (d) => `notify: ${d.hook} for ${d.app} (${d.event}) failed: ${d.reason}`,
  ),
  // tend export (issue 15): a field the target cannot express (a warning), and --check findings.
  TEND_ERR_EXPORT_UNMAPPED: entry<{ app: string; field: string; detail: string }>(
    0,
    (d) => `${d.app}: ${d.field}: ${d.detail}`,
  ),
  TEND_ERR_EXPORT_CHECK_FAILED: entry<{ validator: string; findings: readonly string[] }>(
    1,
    (d) => `export --check: ${d.validator} found ${d.findings.length} problem(s): ${d.findings.join('; ')}`,
  ),
  // tend export: a value the target's file cannot carry (refused before anything is written), and an --out
  // directory that cannot be created or written.
  TEND_ERR_EXPORT_UNSAFE_VALUE: entry<{ app: string; field: string; problem: string; fix: string }>(
    2,
    (d) => `${d.app}: ${d.field}: ${d.problem}: nothing was written (${d.fix})`,
  ),
  TEND_ERR_EXPORT_NAME_CLASH: entry<{ target: string; first: string; second: string; name: string }>(
    2,
    (d) =>
      `apps "${d.first}" and "${d.second}" both become ${d.target} name "${d.name}": nothing was written (rename one of them)`,
  ),
  TEND_ERR_EXPORT_OUT: entry<{ path: string; reason: string; fix: string }>(
    2,
    (d) => `cannot write the export into ${d.path}: ${d.reason} (${d.fix})`,
  ),
  // issue 17 (PM2's verbs and migration): `tend init`, `tend import pm2`.
  TEND_ERR_FILE_EXISTS: entry<{ file: string; fix: string }>(
    2,
    (d) => `${d.file} already exists: nothing was written (${d.fix})`,
  ),
  TEND_ERR_PM2_DUMP: entry<{ file: string; detail: string }>(
    2,
    (d) => `cannot import PM2's process list ${d.file}: ${d.detail}`,
  ),
  // issue 17 §1 (tend-pm2's command line, src/pm2/cli).
  TEND_ERR_PM2_ONE_NAME: entry<{ name: string }>(
    2,
    (d) =>
      `${d.name} is already running: tend keeps one app per name, so -f cannot start a second app called ${d.name}; give this one another --name, or "tend-pm2 restart ${d.name}"`,
  ),
  // issue 15, `tend-runtime plan`: the apps cannot be started from a launch plan (src/container/plan.ts).
  TEND_ERR_PLAN: entry<{ detail: string; fix: string }>(
    2,
    (d) => `no launch plan written: ${d.detail} (${d.fix})`,
  ),
  // issue 15, tend-runtime probe: the runtime's health endpoint said no, or did not answer.
  TEND_ERR_PROBE_FAILED: entry<{ url: string; reason: string }>(1, (d) => `GET ${d.url}: ${d.reason}`),
};

export type ErrorCode = keyof typeof errorCatalogue;
/** The data a code carries. */
export type ErrorData<C extends ErrorCode> = C extends ErrorCode
  ? (typeof errorCatalogue)[C] extends Entry<infer D>
    ? D
    : never
  : never;
/**
 * A TendError of one code carries that code's data; one of any code (`catch (e) { if (e instanceof
 * TendError) … }`) carries a plain record, read by field, as before the catalogue was typed.
 */
export type DataOf<C extends ErrorCode> = ErrorCode extends C ? Record<string, unknown> : ErrorData<C>;
/** Codes whose data has no required field may omit it. */
type DataArgs<C extends ErrorCode> =
  NoData extends ErrorData<C> ? [data?: ErrorData<C>] : [data: ErrorData<C>];

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function quoteList(v: unknown): string {
  const list = Array.isArray(v) ? v : [v];
  return list.map((t) => `"${String(t)}"`).join(', ');
}

/**
 * The one error type that crosses the wire: a code from the catalogue plus data for its template. The class
 * itself is untyped in its code; the exported constructor below is what makes `new TendError(code, data)`
 * check `data` against the code (a class cannot have a generic constructor, and a generic class would make
 * `catch (e) { if (e instanceof TendError) … }` read `data` as unknown).
 */
class TendErrorClass extends Error {
  readonly code: ErrorCode;
  readonly data: Record<string, unknown>;
  constructor(code: ErrorCode, data: object = {}) {
    super((errorCatalogue[code].message as (d: object) => string)(data));
    this.name = 'TendError';
    this.code = code;
    this.data = data as Record<string, unknown>;
  }
  get exitCode(): number {
    return errorCatalogue[this.code].exit;
  }
  toWire(): WireError {
    return { code: this.code, message: this.message, data: this.data };
  }
  /** Is this error of that code? (narrows `data` to the code's shape) */
  is<K extends ErrorCode>(code: K): this is TendError<K> {
    return this.code === code;
  }
  static fromWire(w: WireError): TendError {
    const code = (w.code in errorCatalogue ? w.code : 'TEND_ERR_INTERNAL') as ErrorCode;
    // The wire is not typed: the daemon's data is taken as it is (a template reading a missing field says
    // "undefined"; the message below replaces it anyway).
    const e = new TendErrorClass(code, w.data ?? { detail: w.message });
    // Keep the daemon's wording: it may know more than the template (e.g. config issue lists).
    e.message = w.message;
    return e;
  }
}

/** A TendError of code C (any code by default). */
export type TendError<C extends ErrorCode = ErrorCode> = TendErrorClass & {
  readonly code: C;
  readonly data: DataOf<C>;
};

export interface TendErrorConstructor {
  new <C extends ErrorCode>(code: C, ...data: DataArgs<C>): TendError<C>;
  readonly prototype: TendError;
  fromWire(w: WireError): TendError;
}

export const TendError = TendErrorClass as TendErrorConstructor;

export interface WireError {
  code: string;
  message: string;
  data?: Record<string, unknown>;
}

/**
 * By shape, not only by class: the CLI is two bundles (dist/cli.cjs, dist/cli-program.cjs), each with its
 * own copy of this class, and a programmatic user may hold two copies of the package.
 */
export function isTendError(e: unknown): e is TendError {
  if (e instanceof TendError) return true;
  if (!(e instanceof Error) || e.name !== 'TendError' || !('exitCode' in e)) return false;
  const code: unknown = (e as { code?: unknown }).code;
  return typeof code === 'string' && code in errorCatalogue;
}
