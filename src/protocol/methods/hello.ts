import { defineMethod } from '../define.js';
import * as z from '../zod.js';

export const hello = defineMethod({
  name: 'daemon.hello',
  summary:
    'Handshake: the client states its protocol version; the daemon answers with its own and its identity.',
  params: () =>
    z.strictObject({
      protocol: z.number().check(z.int()),
      client: z.string().check(z.maxLength(200)),
    }),
  result: () =>
    z.strictObject({
      protocol: z.number().check(z.int()),
      version: z.string(),
      pid: z.number().check(z.int()),
      home: z.string(),
      /** Notices of the daemon's start no client was given yet (crash recovery, a damaged state file). */
      notices: z.optional(z.array(z.string())),
      /** Every notice since the daemon started (`tend ping` shows them). */
      startup_notices: z.optional(z.array(z.string())),
    }),
  errors: ['TEND_ERR_PROTOCOL_MISMATCH'],
});
