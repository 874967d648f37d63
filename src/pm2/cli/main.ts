// tend-pm2 (issue 17 §1): PM2's command line over tend's daemon, for `ln -s "$(command -v tend-pm2)" pm2`.
// Contract stub: the tend-pm2 CLI helper implements it. One of the places that end the process.
import { pm2Home } from '../home/index.js';

async function main(argv: readonly string[]): Promise<number> {
  process.stderr.write(`tend-pm2: not implemented yet (home ${pm2Home()}, ${argv.join(' ')})\n`);
  return 70;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
});
