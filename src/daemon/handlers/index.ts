// The handler table. `satisfies Handlers` makes a method without a handler a compile error.
import { handleScale } from './app-scale.js';
import { handleAppStart } from './app-start.js';
import { handleHello } from './hello.js';
import { handleKill } from './kill.js';
import { handleLogsFiles, handleLogsFlush, handleLogsReload, handleLogsSubscribe } from './logs.js';
import { handleResurrect, handleSave, handleUpdate } from './persistence.js';
import { handlePm2List } from './pm2-list.js';
import { handleDelete, handleRestart, handleStart, handleStop } from './process-actions.js';
import { handleEnv } from './process-env.js';
import { handleReload } from './process-reload.js';
import { handleReset } from './process-reset.js';
import { handleSignal } from './process-signal.js';
import { handleDescribe, handleGraph, handleList } from './queries.js';
import { handleSubscribe } from './subscribe.js';
import type { Handlers } from './types.js';
import { handleWeb } from './web.js';

export const handlers = {
  'daemon.hello': handleHello,
  'app.start': handleAppStart,
  'process.start': handleStart,
  'process.stop': handleStop,
  'process.restart': handleRestart,
  'process.reload': handleReload,
  'app.scale': handleScale,
  'process.delete': handleDelete,
  'process.list': handleList,
  'process.describe': handleDescribe,
  'daemon.kill': handleKill,
  'events.subscribe': handleSubscribe,
  'logs.files': handleLogsFiles,
  'logs.subscribe': handleLogsSubscribe,
  'logs.flush': handleLogsFlush,
  'logs.reload': handleLogsReload,
  'process.env': handleEnv,
  'app.graph': handleGraph,
  'process.signal': handleSignal,
  'daemon.save': handleSave,
  'daemon.resurrect': handleResurrect,
  'daemon.update': handleUpdate,
  'daemon.web': handleWeb,
  // issue 17 (PM2's verbs): `tend reset`
  'process.reset': handleReset,
  // issue 17: tend-pm2's listings (`tend jlist --format pm2` too)
  'pm2.list': handlePm2List,
} satisfies Handlers;
