// `tend monit`, loaded by the CLI with import() only for this command (its own ESM bundle, dist/monit.mjs:
// ink and React never slow down the other commands). Draws on the alternate screen and restores the
// terminal (main screen, cursor) however it ends.
import { render } from 'ink';
import { connect } from '../client/client.js';
import { TendError } from '../protocol/errors.js';
import { VERSION } from '../version.js';
import { Monit } from './app.js';

const ENTER = '\u001b[?1049h\u001b[H';
const LEAVE = '\u001b[?1049l\u001b[?25h';

export async function runMonit(home?: string): Promise<void> {
  const client = await connect({ home, client: `tend-monit/${VERSION}` });
  const out = process.stdout;
  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    out.write(LEAVE);
  };
  // A crash or a kill must not leave the terminal on the alternate screen with no cursor.
  process.once('exit', leave);
  out.write(ENTER);
  let quitting = false;
  let lost = false;
  try {
    const app = render(<Monit client={client} home={home} />, { exitOnCtrlC: true, patchConsole: false });
    // Terminal closed or asked to stop: the same clean exit as q.
    for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.once(signal, () => app.unmount());
    // The daemon going away (tend kill, a crash) ends monit with an error, not a frozen screen.
    void client.closed.then(() => {
      if (quitting) return;
      lost = true;
      app.unmount();
    });
    await app.waitUntilExit();
  } finally {
    quitting = true;
    leave();
    await client.close();
  }
  if (lost) throw new TendError('TEND_ERR_CONNECTION_CLOSED');
}
