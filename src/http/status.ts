// Which HTTP status answers which error code. One table, tested (test/unit/http/status.test.ts); a code not
// in it answers by its kind: a user's mistake (exit status 2) is 400, anything else 500.
import { type ErrorCode, errorCatalogue } from '../protocol/errors.js';

export const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  TEND_ERR_BAD_REQUEST: 400,
  TEND_ERR_CONFIG_INVALID: 400,
  TEND_ERR_USAGE: 400,
  TEND_ERR_INVALID_SIGNAL: 400,
  TEND_ERR_SCRIPT_NOT_FOUND: 400,
  TEND_ERR_SCRIPT_NOT_EXECUTABLE: 400,
  TEND_ERR_DUMP_FORMAT: 400,
  TEND_ERR_SETTINGS_INVALID: 400,
  TEND_ERR_UNAUTHORIZED: 401,
  TEND_ERR_FORBIDDEN: 403,
  TEND_ERR_TARGET_NOT_FOUND: 404,
  TEND_ERR_ROUTE_NOT_FOUND: 404,
  TEND_ERR_UNKNOWN_METHOD: 404,
  TEND_ERR_DUMP_NOT_FOUND: 404,
  TEND_ERR_ALREADY_RUNNING: 409,
  TEND_ERR_NOT_RUNNING: 409,
  TEND_ERR_SAVE_EMPTY: 409,
  TEND_ERR_APP_ERRORED: 409,
  TEND_ERR_NOT_READY: 409,
  TEND_ERR_BLOCKED: 409,
  TEND_ERR_RELOAD_FAILED: 409,
  TEND_ERR_HTTP_LISTEN: 409,
  TEND_ERR_FRAME_TOO_LARGE: 413,
  TEND_ERR_SHUTTING_DOWN: 503,
  TEND_ERR_INTERNAL: 500,
  TEND_ERR_SAVE_FAILED: 500,
  TEND_ERR_DUMP_CORRUPT: 500,
  TEND_ERR_LOG_FILE: 500,
};

export function statusOf(code: string): number {
  const known = STATUS_BY_CODE[code as ErrorCode];
  if (known !== undefined) return known;
  const entry = errorCatalogue[code as ErrorCode];
  return entry?.exit === 2 ? 400 : 500;
}
