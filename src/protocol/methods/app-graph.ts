import { defineMethod } from '../define.js';
import { GraphApp } from '../dependencies.js';
import * as z from '../zod.js';

export const appGraph = defineMethod({
  name: 'app.graph',
  summary:
    "The apps' dependency graph: each app's depends_on entries, direct dependents and instances' status, " +
    'and the start levels (independent apps side by side).',
  params: () => z._default(z.strictObject({}), {}),
  result: () =>
    z.strictObject({
      apps: z.array(GraphApp()),
      /** Start levels: level 0 depends on nothing, level n on apps of earlier levels. */
      order: z.array(z.array(z.string())),
    }),
  errors: ['TEND_ERR_CONFIG_INVALID'],
});
