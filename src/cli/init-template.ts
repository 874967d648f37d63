// The commented sample ecosystem file `tend init` writes: one app with the fields most services want, and
// the others commented out with what they do. JavaScript (CommonJS, or ESM when the package is a module) or
// YAML. Every active line is a valid field: test/e2e/cli-pm2-verbs.test.ts starts the file unchanged.

/** The app's lines: [field line, comment], active or commented out. */
const LINES: readonly (readonly [active: boolean, js: string, yaml: string, comment: string])[] = [
  [true, "name: 'app',", 'name: app', 'how you target it: tend restart app'],
  [
    true,
    "script: 'index.js',",
    'script: index.js',
    'relative to this file; or a command on PATH (npm, python3…)',
  ],
  [false, "args: '--port 3000',", "args: '--port 3000'", 'split as a shell would'],
  [false, "cwd: '.',", "cwd: '.'", "the app's working directory (default: this file's folder)"],
  [false, "instances: 'max',", 'instances: max', 'one per CPU (a Node script then runs in cluster mode)'],
  [false, "exec_mode: 'cluster',", 'exec_mode: cluster', 'workers of one Node cluster, sharing ports'],
  [true, 'autorestart: true,', 'autorestart: true', 'restart it when it exits'],
  [true, 'max_restarts: 16,', 'max_restarts: 16', 'unstable restarts in a row before it is "errored"'],
  [true, "min_uptime: '1s',", 'min_uptime: 1s', 'a run shorter than this is unstable'],
  [false, 'exp_backoff_restart_delay: 100,', 'exp_backoff_restart_delay: 100', 'ms; grows 1.5x per crash'],
  [false, "max_memory_restart: '300M',", 'max_memory_restart: 300M', 'restart above this memory'],
  [false, "watch: ['src'],", 'watch: [src]', 'restart when these files change'],
  [false, "cron_restart: '0 3 * * *',", "cron_restart: '0 3 * * *'", 'restart on a schedule'],
  [false, 'wait_ready: true,', 'wait_ready: true', "online once the app calls process.send('ready')"],
  [false, "kill_timeout: '5s',", 'kill_timeout: 5s', 'SIGKILL this long after SIGTERM'],
  [true, 'time: true,', 'time: true', 'timestamp every log line'],
  [false, "out_file: './logs/app.out.log',", 'out_file: ./logs/app.out.log', 'default: $TEND_HOME/logs'],
  [false, "max_size: '10M',", 'max_size: 10M', 'rotate the logs at this size'],
];

const ENV = {
  js: [
    '      env: {',
    "        NODE_ENV: 'development',",
    '      },',
    '      // tend start ecosystem.config.js --env production',
    '      env_production: {',
    "        NODE_ENV: 'production',",
    '      },',
  ],
  yaml: [
    '    env:',
    '      NODE_ENV: development',
    '    # tend start ecosystem.config.yaml --env production',
    '    env_production:',
    '      NODE_ENV: production',
  ],
};

const HEAD =
  'tend ecosystem file (PM2 reads it too). Every field: docs/config.md; tend start <this file> starts it.';

export type TemplateKind = 'cjs' | 'esm' | 'yaml';

export function initTemplate(kind: TemplateKind): string {
  if (kind === 'yaml') {
    const app = LINES.map(([on, , yaml, comment], i) => {
      const indent = i === 0 ? '  - ' : '    ';
      return `${indent}${on ? '' : '# '}${yaml}  # ${comment}`;
    });
    return [`# ${HEAD}`, 'apps:', ...app, ...ENV.yaml, ''].join('\n');
  }
  const app = LINES.map(([on, js, , comment]) => `      ${on ? '' : '// '}${js} // ${comment}`);
  return [
    `// ${HEAD}`,
    kind === 'esm' ? 'export default {' : 'module.exports = {',
    '  apps: [',
    '    {',
    ...app,
    ...ENV.js,
    '    },',
    '  ],',
    '};',
    '',
  ].join('\n');
}
