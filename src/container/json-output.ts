// --log-format json (pm2-runtime's --json): every line the runtime's own process writes is a JSON object, on
// both streams, not only the apps' lines and the runtime's messages. What else writes there: the ecosystem
// file's own console calls while it loads (it runs in this process), and Node's process warnings (a
// DeprecationWarning from the file or a dependency), which Node prints as plain text by default (sixth
// audit). Both are taken over for the runtime's life: nothing else in it uses the console.
import { format, inspect } from 'node:util';

export type JsonWrite = (stream: 'out' | 'err', message: string) => void;

export function takeOverConsole(write: JsonWrite, warning: (line: string) => void): void {
  const to =
    (stream: 'out' | 'err') =>
    (...args: unknown[]) =>
      write(stream, format(...args));
  console.log = to('out');
  console.info = to('out');
  console.debug = to('out');
  console.dir = (item: unknown, options?: object) => write('out', inspect(item, options));
  console.warn = to('err');
  console.error = to('err');
  console.trace = (...args: unknown[]) => {
    const trace = { name: 'Trace', message: format(...args), stack: '' };
    Error.captureStackTrace(trace, console.trace);
    write('err', trace.stack);
  };
  // Node's own printer of warnings is a 'warning' listener (--no-warnings removes it the same way).
  process.removeAllListeners('warning');
  process.on('warning', (w: Error & { code?: string }) =>
    warning(`${w.name}: ${w.message}${w.code ? ` (${w.code})` : ''}`),
  );
}
