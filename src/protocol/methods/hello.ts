import { z } from 'zod';
import { defineMethod } from '../define.js';

export const hello = defineMethod({
  name: 'daemon.hello',
  summary:
    'Handshake: the client states its protocol version; the daemon answers with its own and its identity.',
  params: z.strictObject({ protocol: z.number().int(), client: z.string().max(200) }),
  result: z.strictObject({
    protocol: z.number().int(),
    version: z.string(),
    pid: z.number().int(),
    home: z.string(),
  }),
  errors: ['TEND_ERR_PROTOCOL_MISMATCH'],
});
