// The entry of dist/export.cjs (scripts/build.mjs): everything `tend export` runs, in a bundle of its own
// because normalising an ecosystem file needs zod, which the CLI's bundles never carry (only this command
// loads this file).
export { checkExport } from './check.js';
export { loadForExport } from './load.js';
export { prepareOutDir, writeOutFiles } from './out-dir.js';
export { renderExport } from './render.js';
export { runExport } from './run.js';
