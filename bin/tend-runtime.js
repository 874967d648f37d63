#!/bin/sh
//bin/true; exec node -- "$0" "$@"
// tend-runtime (issue 15): the container runtime's entry. Same sh/Node polyglot as bin/tend.js (see there).
// Contract stub: the PID-1 helper makes the sh part a reaper when it runs as PID 1.
require('../dist/runtime.cjs');
