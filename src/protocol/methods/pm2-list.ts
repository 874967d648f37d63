import { defineMethod } from '../define.js';
import * as z from '../zod.js';

/**
 * One instance in PM2's shape (`pm2 jlist`, src/pm2/jlist-entry.ts). `pm2_env` is checked as an object
 * only: its keys are PM2's (docs/pm2.md, test/fixtures/pm2/jlist-shape.json) plus the app's environment.
 */
export const Pm2EntrySchema = () =>
  z.strictObject({
    pid: z.number(),
    name: z.string(),
    pm2_env: z.record(z.string(), z.unknown()),
    pm_id: z.number(),
    monit: z.strictObject({ memory: z.number(), cpu: z.number() }),
  });

// Issue 17: `tend-pm2 jlist` / `prettylist` and `tend jlist --format pm2`. Built in the daemon, whose code is
// warm, and sent as the final text, so the CLI writes bytes: a fresh CLI spent its time building the entries,
// stringifying them (each app's environment twice, as PM2's shape has it) and in util.inspect (docs/pm2.md).
export const pm2List = defineMethod({
  name: 'pm2.list',
  summary:
    "Every instance in PM2's shape (pm2 jlist): the entries, or their text as jlist (JSON) or prettylist (util.inspect) prints it.",
  params: () =>
    z._default(
      z.strictObject({
        /** `entries`: the objects; `json`: jlist's line; `inspect`: prettylist's text. */
        format: z._default(z.enum(['entries', 'json', 'inspect']), 'entries'),
      }),
      { format: 'entries' as const },
    ),
  result: () =>
    z.strictObject({
      /** With `format: 'entries'`. */
      entries: z.optional(z.array(Pm2EntrySchema())),
      /** With `json` or `inspect`: the whole output, newline included. */
      text: z.optional(z.string()),
    }),
  errors: [],
});
