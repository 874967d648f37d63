// Environment values never leave the API unless an admin asks (`?reveal_env=1` with the admin token):
// every object under a key `env`, `app_env` or `env_<name>` (an app's spec, its stored fields, a probe's
// exec env, `process.env` answers) keeps its names with masked values. By shape, so a field added later is
// covered without a list to maintain. Credentials elsewhere in an app's config are masked by the same rule
// as `tend env` and `tend describe` (protocol/secrets.ts): a probe's headers (by name or value), and the
// words of its command, URL, path or output and of the app's arguments that carry one
// (`curl http://admin:pw@…`, `--token=…`).
import { redactShown } from '../protocol/secrets.js';

/** The one rule, protocol/secrets.ts's (shared with `tend describe`). */
export const redactEnv: (value: unknown) => unknown = redactShown;
