#!/bin/sh
":" //; [ -n "${NODE_EXTRA_CA_CERTS+x}" ] && export TEND_NODE_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS" && unset NODE_EXTRA_CA_CERTS; exec node -- "$0" "$@"
// tend-pm2 (issue 17): PM2's dialect over tend's daemon. Same sh/Node polyglot as bin/tend.js (see there).
// NODE_EXTRA_CA_CERTS moved aside by sh for this Node, put back for the daemon and the apps (see bin/tend.js).
if (process.env.TEND_NODE_EXTRA_CA_CERTS !== undefined) {
  process.env.NODE_EXTRA_CA_CERTS = process.env.TEND_NODE_EXTRA_CA_CERTS;
  delete process.env.TEND_NODE_EXTRA_CA_CERTS;
}
require('../dist/pm2-cli.cjs');
