// `npm run typecheck`: the two TypeScript programs (Node code with tests, bench and scripts; the dashboard's
// browser code with the DOM library) checked at the same time, one per core. Each one's output is printed
// whole when it ends; the exit code is non-zero if either fails.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const projects = [
  ['-p', 'tsconfig.json', '--noEmit'],
  ['-p', 'src/web/page/tsconfig.json'],
];

const results = await Promise.all(
  projects.map(
    (args) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [tsc, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        const out = [];
        child.stdout.on('data', (c) => out.push(c));
        child.stderr.on('data', (c) => out.push(c));
        child.on('close', (code, signal) => {
          const text = Buffer.concat(out).toString();
          if (text) process.stdout.write(`tsc ${args.join(' ')}:\n${text}`);
          resolve(code ?? (signal ? 1 : 0));
        });
      }),
  ),
);
process.exit(results.some((code) => code !== 0) ? 1 : 0);
