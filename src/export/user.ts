// systemd's User=: the --user flag, else the app's PM2 `user` (or `username`, `uid`) field. A value systemd
// would read as something else, or refuse, is never written: `%n` is a specifier (the unit's name), a
// blank or `;` is not a user name, `-rf` and `''` are none; systemd ≥ 246 accepts some of them with a
// warning ("does not match strict user/group name rules") and then looks up a user nobody meant.
import type { AppSpec } from '../config/spec.js';

/** systemd's strict user name rule (the one verify accepts without a warning), or a numeric id. */
const STRICT_NAME = /^[a-zA-Z_][a-zA-Z0-9_-]{0,30}$/;

/** Why `user` is not a user name or id systemd takes for User=, or null. */
export function userProblem(user: string): string | null {
  if (/^[0-9]+$/.test(user)) {
    const id = Number(user);
    // 65535 and 4294967295 are (uid_t)-1 in 16 and 32 bits: systemd refuses both.
    return id < 4294967295 && id !== 65535
      ? null
      : 'not a valid numeric id (65535 and 4294967295 are reserved)';
  }
  if (user === '') return 'it is empty';
  return STRICT_NAME.test(user)
    ? null
    : 'expected a letter or "_", then letters, digits, "_" or "-", at most 31 characters (systemd\'s user name rule), or a numeric id';
}

/** The PM2 field that names the app's user, as written, or null when the app has none. */
export function storedUser(app: AppSpec): { field: string; value: string } | null {
  for (const field of ['user', 'username', 'uid']) {
    const v = app.stored[field];
    if (typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)))
      return { field, value: String(v) };
  }
  return null;
}
