import type { AppInput } from '../../config/input-types.js';
import { defineMethod } from '../define.js';
import { ProcessInfo } from '../process-info.js';
import * as z from '../zod.js';

/**
 * One app as written (PM2 field names): typed by the field registry, so a misspelt field is a compile error
 * for a TypeScript caller. Checked here as an object only: the daemon checks every field itself
 * (config/normalize.ts), with messages that name the app and the field, for callers without a compiler.
 */
const App = () => z.record(z.string(), z.unknown()) as unknown as z.ZodMiniType<AppInput, AppInput>;

export const appStart = defineMethod({
  name: 'app.start',
  summary:
    'Add apps from raw specs (PM2 field names, from the command line or an ecosystem file) and start them; ' +
    'apps that already exist by name are started if stopped. With wait, reply once each instance settled.',
  params: () =>
    z.strictObject({
      apps: z.array(App()).check(z.minLength(1)),
      /** The ecosystem file the apps came from, for error messages; null for the command line. */
      source: z._default(z.nullable(z.string()), null),
      /**
       * Where the apps came from when they came from no file, for error messages only (the HTTP API sends
       * "request body"); null: "command line". `source` alone decides how they are started (a file's apps
       * stand alone, the command line's are all or nothing), so this changes no behaviour.
       */
      origin: z._default(z.nullable(z.string()), null),
      /** Relative `cwd` and `script` resolve against this directory (the file's folder, or the CLI's cwd). */
      base_dir: z.string(),
      /** The caller's environment: the base every app's environment is built on (null: the daemon's own). */
      env: z._default(z.nullable(z.record(z.string(), z.string())), null),
      /** Selects `env_<name>` from each app. */
      env_name: z._default(z.nullable(z.string()), null),
      /** Only these app names (unknown names are an error). */
      only: z._default(z.nullable(z.array(z.string())), null),
      wait: z._default(z.boolean(), true),
      /** --update-env: `env` is also the top layer of each new app's environment (docs/config.md). */
      update_env: z._default(z.boolean(), false),
      /** --no-deps: start the apps alone, not their dependencies (a note for each one that is down). */
      no_deps: z._default(z.boolean(), false),
      /**
       * Names of new apps to add stopped, not started (issue 17: `tend-pm2 resurrect` of a PM2 dump whose
       * app was stopped, as PM2 7 brings it back). An app that exists already is left as it is.
       */
      stopped: z._default(z.array(z.string()), []),
    }),
  result: () =>
    z.strictObject({
      processes: z.array(ProcessInfo()),
      notes: z.array(z.string()),
      /**
       * Apps of an ecosystem file left out because of problems of their own (the file's other apps start):
       * the TEND_ERR_CONFIG_INVALID error naming each problem, and the apps' names. Absent or null: none.
       */
      rejected: z.optional(
        z.nullable(z.strictObject({ code: z.string(), message: z.string(), apps: z.array(z.string()) })),
      ),
    }),
  errors: ['TEND_ERR_CONFIG_INVALID', 'TEND_ERR_SCRIPT_NOT_FOUND', 'TEND_ERR_ALREADY_RUNNING'],
});
