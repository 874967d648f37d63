// Running systemctl for `tend startup` / `unstartup`: its absence or failure becomes one clear error.
import { spawnSync } from 'node:child_process';
import { TendError } from '../protocol/errors.js';

/** The systemctl binary: TEND_SYSTEMCTL overrides it (tests, unusual installs). */
export function systemctlBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEND_SYSTEMCTL || 'systemctl';
}

export function runSystemctl(bin: string, args: readonly string[]): void {
  const r = spawnSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
  const shown = `systemctl ${args.join(' ')}`;
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new TendError('TEND_ERR_STARTUP_FAILED', {
      detail: missing
        ? `${shown}: systemctl not found (${bin}); is this a systemd machine? "tend startup --dry-run" prints the unit to install by hand`
        : `${shown}: ${r.error.message}`,
    });
  }
  if (r.status !== 0) {
    const why = r.stderr.trim().split('\n').filter(Boolean).at(-1) ?? '';
    throw new TendError('TEND_ERR_STARTUP_FAILED', {
      detail: `${shown} failed (${r.signal ? `signal ${r.signal}` : `exit ${r.status}`})${why ? `: ${why}` : ''}`,
    });
  }
  // Pass systemctl's own messages on ("Created symlink …").
  if (r.stderr) process.stderr.write(r.stderr);
}
