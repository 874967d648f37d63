// The method table: the one list of what the daemon answers. The daemon's handler table must cover it
// (src/daemon/handlers/index.ts fails to compile otherwise); the client derives its types from it.
import type * as z from '../zod.js';
import { appGraph } from './app-graph.js';
import { appScale } from './app-scale.js';
import { appStart } from './app-start.js';
import { daemonResurrect } from './daemon-resurrect.js';
import { daemonSave } from './daemon-save.js';
import { daemonUpdate } from './daemon-update.js';
import { daemonWeb } from './daemon-web.js';
import { hello } from './hello.js';
import { kill } from './kill.js';
import { logsFiles } from './logs-files.js';
import { logsFlush } from './logs-flush.js';
import { logsReload } from './logs-reload.js';
import { logsSubscribe } from './logs-subscribe.js';
import { pm2List } from './pm2-list.js';
import { processDelete } from './process-delete.js';
import { processDescribe } from './process-describe.js';
import { processEnv } from './process-env.js';
import { processList } from './process-list.js';
import { processReload } from './process-reload.js';
import { processReset } from './process-reset.js';
import { processRestart } from './process-restart.js';
import { processSignal } from './process-signal.js';
import { processStart } from './process-start.js';
import { processStop } from './process-stop.js';
import { subscribe } from './subscribe.js';

export const methods = {
  [hello.name]: hello,
  [appStart.name]: appStart,
  [processStart.name]: processStart,
  [processStop.name]: processStop,
  [processRestart.name]: processRestart,
  [processReload.name]: processReload,
  [appScale.name]: appScale,
  [processDelete.name]: processDelete,
  [processList.name]: processList,
  [processDescribe.name]: processDescribe,
  [kill.name]: kill,
  [subscribe.name]: subscribe,
  [logsFiles.name]: logsFiles,
  [logsSubscribe.name]: logsSubscribe,
  [logsFlush.name]: logsFlush,
  [logsReload.name]: logsReload,
  [processEnv.name]: processEnv,
  [processSignal.name]: processSignal,
  [daemonSave.name]: daemonSave,
  [daemonResurrect.name]: daemonResurrect,
  [daemonUpdate.name]: daemonUpdate,
  [appGraph.name]: appGraph,
  // issue 14: `tend web`
  [daemonWeb.name]: daemonWeb,
  // issue 17 (PM2's verbs): `tend reset`
  [processReset.name]: processReset,
  // issue 17: tend-pm2's listings, built in the daemon
  [pm2List.name]: pm2List,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
/** What a caller passes (defaults may be omitted). */
export type ParamsIn<M extends MethodName> = z.input<ReturnType<Methods[M]['params']>>;
/** What a handler receives (defaults applied). */
export type Params<M extends MethodName> = z.output<ReturnType<Methods[M]['params']>>;
export type Result<M extends MethodName> = z.output<ReturnType<Methods[M]['result']>>;
