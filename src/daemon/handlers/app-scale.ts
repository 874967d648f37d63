import type { Handler } from './types.js';

export const handleScale: Handler<'app.scale'> = async ({ name, instances }, { supervisor }) => {
  await supervisor.scale(name, instances, true);
  return { processes: supervisor.list().filter((p) => p.name === name) };
};
