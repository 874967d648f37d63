#!/bin/sh
":" //; [ -n "${NODE_EXTRA_CA_CERTS+x}" ] && export TEND_NODE_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS" && unset NODE_EXTRA_CA_CERTS; exec node -- "$0" "$@"
// For Node the line above is a string and a comment; for sh it runs the builtin `:` (no process, where the
// older `//bin/true` cost a fork and an exec, 0.5 ms), then `exec node -- <this file> <args>`, which is how
// the file runs when executed (the npm bin link). biome.json leaves bin/*.js unformatted: its formatter would
// write `':';`, after which sh would run `//` as a command. Why the `--`: Node 20 scans its whole command line
// for --env-file and exits with its own message when `tend start app.js --env-file missing.env` names a
// missing file; after `--` it does not. CommonJS on purpose (bin/package.json says so): Node starts a
// CommonJS entry faster; see scripts/build.mjs.
// NODE_EXTRA_CA_CERTS: Node 20 and 22 read that file and build the whole root certificate store when the
// process starts, TLS or not: 45 ms of every command and 1.8 MiB (measured 2026-12-04, `node -e 0` 0.10
// against 0.05 s). The CLI speaks no TLS, so sh moves the variable aside for this Node, and it is put back
// here before anything reads the environment: the daemon and the apps get it as the user set it.
if (process.env.TEND_NODE_EXTRA_CA_CERTS !== undefined) {
  process.env.NODE_EXTRA_CA_CERTS = process.env.TEND_NODE_EXTRA_CA_CERTS;
  delete process.env.TEND_NODE_EXTRA_CA_CERTS;
}
require('../dist/cli.cjs');
