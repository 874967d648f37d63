// Checked before every spawn (the supervisor's startCheck port): a script or working directory that was
// deleted since the app was added (a resurrected dump, a removed release directory) fails the start with a
// clear reason in last_error, instead of a crash loop of "Cannot find module".
import { existsSync } from 'node:fs';
import type { AppSpec } from '../config/spec.js';

export function startProblem(spec: AppSpec): string | null {
  if (!existsSync(spec.cwd)) return `working directory ${spec.cwd} no longer exists`;
  // A command found on PATH was resolved to its absolute path too: if it is gone, say so as well.
  if (!existsSync(spec.script)) return `script ${spec.script} no longer exists (deleted or moved)`;
  return null;
}
