// `tend init [--yaml]` (PM2's verb): writes a commented sample ecosystem file in the current directory,
// never over an existing one unless --force.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { TendError } from '../../protocol/errors.js';
import { initTemplate } from '../init-template.js';

/** Whether the nearest package.json makes .js files ES modules (then `module.exports` would throw). */
function isModulePackage(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    const pkg = join(d, 'package.json');
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(d) === d) return false;
  }
}

export function register(program: Command): void {
  program
    .command('init')
    .description('write a commented sample ecosystem file (ecosystem.config.js) in the current directory')
    .option('--yaml', 'write ecosystem.config.yaml instead')
    .option('--force', 'replace an existing file')
    .action((opts: { yaml?: boolean; force?: boolean }) => {
      const cwd = process.cwd();
      const file = resolve(cwd, opts.yaml ? 'ecosystem.config.yaml' : 'ecosystem.config.js');
      if (existsSync(file) && !opts.force)
        throw new TendError('TEND_ERR_FILE_EXISTS', { file, fix: 'use --force to replace it' });
      writeFileSync(file, initTemplate(opts.yaml ? 'yaml' : isModulePackage(cwd) ? 'esm' : 'cjs'));
      process.stdout.write(`${file} written: edit it, then "tend start ${basename(file)}"\n`);
    });
}
