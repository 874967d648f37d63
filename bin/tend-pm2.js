#!/bin/sh
//bin/true; exec node -- "$0" "$@"
// tend-pm2 (issue 17): PM2's dialect over tend's daemon. Same sh/Node polyglot as bin/tend.js (see there).
require('../dist/pm2-cli.cjs');
