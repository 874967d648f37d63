import type { Handler } from './types.js';

export const handleList: Handler<'process.list'> = async (_params, { supervisor }) => ({
  processes: supervisor.list(),
});

export const handleDescribe: Handler<'process.describe'> = async ({ target }, { supervisor }) => ({
  details: supervisor.describe(supervisor.resolve(target)),
});
