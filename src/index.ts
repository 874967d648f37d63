// The package's programmatic API: `import { connect } from 'tend'`.
export {
  type ConnectOptions,
  connect,
  type DaemonIdentity,
  type Subscription,
  TendClient,
} from './client/client.js';
// Ecosystem files as written: `/** @type {import('tend').EcosystemFile} */` in a .js file (docs/config.md).
export type {
  AppInput,
  DependencyInput,
  Duration,
  EcosystemFile,
  EnvVars,
  ProbeInput,
  Seconds,
  Size,
} from './config/input-types.js';
export {
  type ErrorCode,
  type ErrorData,
  errorCatalogue,
  isTendError,
  TendError,
} from './protocol/errors.js';
export type { EventData, EventName, StreamEvent, TendEvent } from './protocol/events.js';
export { homePaths, resolveHome } from './protocol/home.js';
export type { MethodName, Params, ParamsIn, Result } from './protocol/methods/index.js';
export type { ExitInfo, ProcessDetail, ProcessInfo, Status } from './protocol/process-info.js';
export { PROTOCOL_VERSION } from './protocol/version.js';
export { VERSION } from './version.js';
