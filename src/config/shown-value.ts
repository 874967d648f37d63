// A value as a config error may echo it ("got …"): masked by the rule `tend env` and `tend describe` mask
// with (protocol/secrets.ts), in this one place for every message that shows what was written. Eighth
// audit: `port: 'postgres://u:hunter3@h/db'` was printed in clear by "expected a port number, got …", in a
// pod's log. A URL keeps its shape with the userinfo's password (or the user, when it is the credential
// alone: `https://token@host`) masked, so the user still sees what was written where; any other value that
// carries a credential, and any value of a field or variable whose name looks secret, is masked whole.
import { isSecretName, isSecretValue, MASK, maskedArgs } from '../protocol/secrets.js';

/** What replaces the credential of a URL's userinfo. */
export const URL_MASK = '***';

const USERINFO = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)([^/?#\s@]+)@/gi;

/** `text` as it may be shown: the part of a URL that is the credential masked, anything else secret whole. */
export function maskedText(text: string, key?: string): string {
  if (key !== undefined && isSecretName(key) && text.trim() !== '') return MASK;
  if (!isSecretValue(text)) return text;
  // The URLs' userinfo aside, nothing else may carry one (`?token=…`, a Bearer word): else masked whole.
  if (isSecretValue(text.replace(USERINFO, '$1'))) return MASK;
  return text.replace(USERINFO, (_, scheme: string, info: string) => {
    const colon = info.indexOf(':');
    return `${scheme}${colon === -1 ? URL_MASK : `${info.slice(0, colon)}:${URL_MASK}`}@`;
  });
}

/**
 * `value` as it may be shown, under `key` (the field or variable it was given for): strings masked by
 * maskedText, the words of a list as an argv (`-u admin:pw` is two), objects by their own keys.
 */
export function maskedValue(value: unknown, key?: string, seen = new WeakSet<object>()): unknown {
  // Nothing, an empty word or a yes/no hides nothing ("expected a secret (a non-empty string), got ''").
  if (value === undefined || value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') return maskedText(value, key);
  if (key !== undefined && isSecretName(key)) return MASK;
  if (typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    if (value.every((w) => typeof w === 'string')) {
      // A word that completes a credential with the one before it (`--password pw`) is masked whole.
      const pairs = maskedArgs(value);
      return value.map((w, i) => (pairs[i] === MASK && !isSecretValue(w) ? MASK : maskedText(w)));
    }
    return value.map((v) => maskedValue(v, undefined, seen));
  }
  // What JSON.stringify would show of it (a URL object is its href), masked the same way.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return maskedValue(toJSON.call(value, key ?? ''), key, seen);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskedValue(v, k, seen)]));
}

/**
 * A command line as one string (a script word that may hold its arguments: `API_TOKEN=x node server.js`),
 * as it may be shown: masked word by word as an argv (maskedValue), so the rest stays readable (tenth
 * audit: "script not found: DATABASE_URL=postgres://app:pw@db/prod" in a pod's log).
 */
export function maskedWords(text: string): string {
  const words = text.split(/\s+/);
  // `NAME=value` with a secret-looking name (`DB_PASS=hunter2`): masked by its name, as `tend env` masks
  // (verification of the tenth audit).
  const shown = (maskedValue(words) as string[]).map((w, i) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=./s.exec(words[i] as string);
    return m !== null && isSecretName(m[1] as string) ? `${m[1]}=${MASK}` : w;
  });
  // Nothing masked: the text as written, its spacing too.
  return shown.every((w, i) => w === words[i]) ? text : shown.join(' ');
}
