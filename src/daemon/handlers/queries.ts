import type { Handler } from './types.js';

export const handleList: Handler<'process.list'> = async (_params, { supervisor }) => ({
  processes: supervisor.list(),
});

export const handleDescribe: Handler<'process.describe'> = async ({ target }, { supervisor, deps }) => ({
  details: supervisor
    .describe(supervisor.resolve(target))
    .map((d) => ({ ...d, dependencies: deps.detail(d.process.name) })),
});

export const handleGraph: Handler<'app.graph'> = async (_params, { deps }) => deps.graphData();
