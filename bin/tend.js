#!/bin/sh
':'; //; exec node -- "$0" "$@"
// The line above runs this file with `node -- <file> <args>` when it is executed (the npm bin link):
// Node 20 scans its whole command line for --env-file and exits with its own
// message when `tend start app.js --env-file missing.env` names a missing file; after `--` it does not.
// For Node it is a string and a comment. CommonJS on purpose (bin/package.json says so): Node starts a
// CommonJS entry faster; see scripts/build.mjs.
require('../dist/cli.cjs');
