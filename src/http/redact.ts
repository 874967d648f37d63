// Environment values never leave the API unless an admin asks (`?reveal_env=1` with the admin token):
// every object under a key `env`, `app_env` or `env_<name>` (an app's spec, its stored fields, a probe's
// exec env, `process.env` answers) keeps its names with masked values. By shape, so a field added later is
// covered without a list to maintain. Credentials elsewhere in an app's config are masked by the same rule
// as `tend env` and `tend describe` (protocol/secrets.ts): a probe's headers (by name or value), and the
// words of its command, URL, path or output and of the app's arguments that carry one
// (`curl http://admin:pw@…`, `--token=…`).
import { isPlainObject } from '../config/strict-object.js';
import { isSecretValue, looksSecret, MASK, maskedArgs } from '../protocol/secrets.js';

const ENV_KEY = /^(env|app_env|env_[\w-]+)$/;
const TEXT_KEY = /^(args|node_args|interpreter_args|command|path|url|output)$/;

/** A text, or a list of words (an argv: `-u admin:pw` is two), masked by the one rule. */
const maskText = (v: unknown): unknown =>
  typeof v === 'string'
    ? isSecretValue(v)
      ? MASK
      : v
    : Array.isArray(v)
      ? v.every((w) => typeof w === 'string')
        ? maskedArgs(v)
        : v.map(maskText)
      : redactEnv(v);

export function redactEnv(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactEnv);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (ENV_KEY.test(k) && isPlainObject(v)) {
      out[k] = Object.fromEntries(Object.keys(v).map((name) => [name, MASK]));
    } else if (k === 'headers' && isPlainObject(v)) {
      out[k] = Object.fromEntries(
        Object.entries(v).map(([name, text]) => [
          name,
          typeof text === 'string' && looksSecret(name, text) ? MASK : text,
        ]),
      );
    } else if (TEXT_KEY.test(k)) {
      out[k] = maskText(v);
    } else if (k === 'masked' && Array.isArray(v) && 'env' in value) {
      // process.env: every variable is masked now.
      out[k] = Object.keys((value as { env: object }).env);
    } else out[k] = redactEnv(v);
  }
  return out;
}
