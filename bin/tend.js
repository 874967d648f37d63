#!/bin/sh
//bin/true; exec node -- "$0" "$@"
// For Node the line above is a comment; for sh it runs /bin/true, then `exec node -- <this file> <args>`, which
// is how the file runs when executed (the npm bin link). Why the `--`: Node 20 scans its whole command line
// for --env-file and exits with its own message when `tend start app.js --env-file missing.env` names a
// missing file; after `--` it does not. CommonJS on purpose (bin/package.json says so): Node starts a
// CommonJS entry faster; see scripts/build.mjs.
require('../dist/cli.cjs');
