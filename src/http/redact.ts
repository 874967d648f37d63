// Environment values never leave the API unless an admin asks (`?reveal_env=1` with the admin token):
// every object under a key `env`, `app_env` or `env_<name>` (an app's spec, its stored fields, a probe's
// exec env, `process.env` answers) keeps its names with masked values. By shape, so a field added later is
// covered without a list to maintain.
import { MASK } from '../protocol/secrets.js';

const ENV_KEY = /^(env|app_env|env_[\w-]+)$/;

export function redactEnv(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactEnv);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (ENV_KEY.test(k) && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      out[k] = Object.fromEntries(Object.keys(v).map((name) => [name, MASK]));
    } else if (k === 'masked' && Array.isArray(v) && 'env' in value) {
      // process.env: every variable is masked now.
      out[k] = Object.keys((value as { env: object }).env);
    } else out[k] = redactEnv(v);
  }
  return out;
}
