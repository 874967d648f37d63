// The environment a process was started with, as the kernel keeps it: /proc/<pid>/environ (NUL-separated
// KEY=value). Changes the process made to its own environment afterwards are not visible there.
import { readFile } from './fs-async.js';

/** null when the process is gone (or not ours to read). */
export async function readEnviron(pid: number): Promise<Record<string, string> | null> {
  let raw: string;
  try {
    raw = await readFile(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return null;
  }
  // A process that has exited (a zombie) shows an empty environ; ours always have tend's variables.
  if (raw === '') return null;
  const env: Record<string, string> = {};
  for (const entry of raw.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}
