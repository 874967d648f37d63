import { defineMethod } from '../define.js';
import * as z from '../zod.js';

export const hello = defineMethod({
  name: 'daemon.hello',
  summary:
    'Handshake: the client states its protocol version; the daemon answers with its own and its identity.',
  params: z.strictObject({
    protocol: z.number().check(z.int()),
    client: z.string().check(z.maxLength(200)),
  }),
  result: z.strictObject({
    protocol: z.number().check(z.int()),
    version: z.string(),
    pid: z.number().check(z.int()),
    home: z.string(),
  }),
  errors: ['TEND_ERR_PROTOCOL_MISMATCH'],
});
