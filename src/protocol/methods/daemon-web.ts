import { defineMethod } from '../define.js';
import * as z from '../zod.js';

const Listener = () => z.strictObject({ kind: z.enum(['api', 'health']), url: z.string() });

export const daemonWeb = defineMethod({
  name: 'daemon.web',
  summary:
    'Turn the HTTP API and dashboard on in the running daemon (default 127.0.0.1:9615, kept in ' +
    '$TEND_HOME/web.json for later starts; http.listen in tend.config.yaml wins) and make a one-time login ' +
    'link; with off, turn it off and forget it. Not callable over HTTP.',
  params: () =>
    z._default(
      z.strictObject({
        /** A loopback IP address (binding beyond loopback needs the settings file's http.allow_remote). */
        host: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
        port: z.optional(z.number().check(z.int(), z.gte(1), z.lte(65535))),
        off: z._default(z.boolean(), false),
      }),
      { off: false },
    ),
  result: () =>
    z.strictObject({
      /** The dashboard's URL, or null when the API is off. */
      url: z.nullable(z.string()),
      /** The URL with a one-time login token in its fragment (`#login=…`; single use, 10 minutes). */
      login_url: z.nullable(z.string()),
      /** Where the API's address comes from: the settings file, web.json (`tend web`), or nowhere (off). */
      source: z.nullable(z.enum(['settings', 'web'])),
      listeners: z.array(Listener()),
      /** Listeners that could not start (an address in use): each with its error message. */
      problems: z.array(
        z.strictObject({ kind: z.enum(['api', 'health']), address: z.string(), message: z.string() }),
      ),
    }),
  errors: ['TEND_ERR_HTTP_LISTEN', 'TEND_ERR_USAGE', 'TEND_ERR_HOME_UNSAFE'],
});
