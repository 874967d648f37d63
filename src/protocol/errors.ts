// The error catalogue: stable codes, a message template and the CLI exit status. Imported by both sides and
// by the CLI without pulling in zod, so it stays a plain object. Documented in docs/errors.md.

export const errorCatalogue = {
  TEND_ERR_TARGET_NOT_FOUND: { exit: 2, message: (d: Data) => `no process matches ${quoteList(d.target)}` },
  TEND_ERR_SCRIPT_NOT_FOUND: {
    exit: 2,
    message: (d: Data) => `script not found: ${d.script}${d.cwd ? ` (looked in ${d.cwd} and on PATH)` : ''}`,
  },
  TEND_ERR_SCRIPT_NOT_EXECUTABLE: {
    exit: 2,
    message: (d: Data) =>
      `script is not executable: ${d.script} (make it executable or pass --interpreter, e.g. --interpreter bash)`,
  },
  TEND_ERR_CONFIG_INVALID: { exit: 2, message: (d: Data) => `${d.where ? `${d.where}: ` : ''}${d.detail}` },
  // Warnings about config (exit 0: the command goes on); the CLI prints them as `warning: ... (CODE)`.
  TEND_ERR_CONFIG_IGNORED: { exit: 0, message: (d: Data) => `${d.where ? `${d.where}: ` : ''}${d.detail}` },
  TEND_ERR_CONFIG_STORED: { exit: 0, message: (d: Data) => `${d.where ? `${d.where}: ` : ''}${d.detail}` },
  TEND_ERR_APP_ERRORED: {
    exit: 1,
    message: (d: Data) => `${d.name} [${d.id}] is errored: ${d.reason} (see "tend describe ${d.id}")`,
  },
  TEND_ERR_ALREADY_RUNNING: {
    exit: 2,
    message: (d: Data) =>
      `${d.name} is already running (use "tend restart ${d.name}" or "tend delete ${d.name}")`,
  },
  TEND_ERR_USAGE: { exit: 2, message: (d: Data) => String(d.detail) },
  TEND_ERR_RELOAD_FAILED: { exit: 1, message: (d: Data) => `reload failed: ${d.detail}` },
  TEND_ERR_DAEMON_UNREACHABLE: {
    exit: 3,
    message: (d: Data) => `cannot reach the tend daemon at ${d.socket}${d.reason ? `: ${d.reason}` : ''}`,
  },
  TEND_ERR_DAEMON_START_FAILED: {
    exit: 3,
    message: (d: Data) => `the tend daemon did not start${d.reason ? `: ${d.reason}` : ''} (see ${d.log})`,
  },
  TEND_ERR_PROTOCOL_MISMATCH: {
    exit: 3,
    message: (d: Data) =>
      `the running daemon speaks protocol ${d.daemon}, this client speaks ${d.client} (run "tend kill" then retry)`,
  },
  TEND_ERR_BAD_REQUEST: { exit: 3, message: (d: Data) => `bad request: ${d.detail}` },
  TEND_ERR_FRAME_TOO_LARGE: { exit: 3, message: (d: Data) => `frame larger than ${d.limit} bytes` },
  TEND_ERR_UNKNOWN_METHOD: { exit: 3, message: (d: Data) => `unknown method ${d.method}` },
  TEND_ERR_CONNECTION_CLOSED: { exit: 3, message: () => 'the daemon closed the connection' },
  TEND_ERR_SHUTTING_DOWN: { exit: 3, message: () => 'the daemon is shutting down' },
  TEND_ERR_SAVE_FAILED: {
    exit: 1,
    message: (d: Data) =>
      `cannot save the process list to ${d.file}: ${d.reason} (the previous dump is unchanged)`,
  },
  TEND_ERR_SAVE_EMPTY: {
    exit: 1,
    message: (d: Data) =>
      `no process to save: this would replace the ${d.apps} app(s) saved in ${d.file} with an empty list (use "tend save --force" to do it anyway)`,
  },
  TEND_ERR_DUMP_NOT_FOUND: {
    exit: 2,
    message: (d: Data) => `no saved process list: ${d.file} does not exist (run "tend save" first)`,
  },
  TEND_ERR_DUMP_CORRUPT: {
    exit: 1,
    message: (d: Data) => `cannot read the saved process list: ${d.detail}`,
  },
  TEND_ERR_DUMP_FORMAT: { exit: 2, message: (d: Data) => `${d.file}: ${d.detail}` },
  TEND_ERR_INTERNAL: { exit: 70, message: (d: Data) => `internal error: ${d.detail}` },
  TEND_ERR_STARTUP_UNSUPPORTED: {
    exit: 2,
    message: (d: Data) => `init system "${d.init}" is not supported (supported: ${d.supported})`,
  },
  TEND_ERR_STARTUP_FAILED: { exit: 1, message: (d: Data) => `startup: ${d.detail}` },
  TEND_ERR_NOT_A_TTY: {
    exit: 2,
    message: (d: Data) => `${d.command} needs an interactive terminal (stdin and stdout must be a TTY)`,
  },
  TEND_ERR_NOT_RUNNING: {
    exit: 1,
    message: (d: Data) => `${d.what ?? 'nothing to do'}: no matching process is running (${d.detail})`,
  },
  TEND_ERR_INVALID_SIGNAL: {
    exit: 2,
    message: (d: Data) =>
      `invalid signal ${JSON.stringify(d.signal)}: expected a signal name such as SIGUSR2 or USR2, or its number (see kill -l)`,
  },
} as const satisfies Record<string, { exit: number; message: (d: Data) => string }>;

type Data = Record<string, unknown>;
export type ErrorCode = keyof typeof errorCatalogue;

function quoteList(v: unknown): string {
  const list = Array.isArray(v) ? v : [v];
  return list.map((t) => `"${String(t)}"`).join(', ');
}

/** The one error type that crosses the wire: a code from the catalogue plus data for its template. */
export class TendError extends Error {
  readonly code: ErrorCode;
  readonly data: Data;
  constructor(code: ErrorCode, data: Data = {}) {
    super(errorCatalogue[code].message(data));
    this.name = 'TendError';
    this.code = code;
    this.data = data;
  }
  get exitCode(): number {
    return errorCatalogue[this.code].exit;
  }
  toWire(): WireError {
    return { code: this.code, message: this.message, data: this.data };
  }
  static fromWire(w: WireError): TendError {
    const code = (w.code in errorCatalogue ? w.code : 'TEND_ERR_INTERNAL') as ErrorCode;
    const e = new TendError(code, w.data ?? { detail: w.message });
    // Keep the daemon's wording: it may know more than the template (e.g. config issue lists).
    e.message = w.message;
    return e;
  }
}

export interface WireError {
  code: string;
  message: string;
  data?: Data;
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
