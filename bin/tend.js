#!/usr/bin/env node
// CommonJS on purpose (bin/package.json says so): Node starts a CommonJS entry faster; see scripts/build.mjs.
require('../dist/cli.cjs');
