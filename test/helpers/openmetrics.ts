// The OpenMetrics check of an exposition. `promtool check metrics` reads the text format only (its linter is
// built on the text parser: prometheus/prometheus#8932 is open, Debian's promtool 2.42 reads OpenMetrics'
// `# EOF` as a comment and its counter samples as untyped metrics), and prom-client has no parser. The one
// parser at hand that follows the OpenMetrics specification is the Python client's
// (`prometheus_client.openmetrics.parser`, Debian package python3-prometheus-client; the Prometheus
// project's reference for the format): it refuses a missing `# EOF`, a blank line, a counter sample without
// `_total`/`_created`, interleaved or repeated families, bad names, escapes, values and histogram buckets.
// Every metric is then required to have HELP (tend's and prom-client's families always do). When no Python
// with that module is found, the tests that need it skip and say why.
import { checkThrough, firstWorking } from './promtool.js';

const SCRIPT = `
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
text = sys.stdin.read()
try:
    families = list(text_string_to_metric_families(text))
except Exception as e:
    print('openmetrics parse error: %s' % e)
    sys.exit(1)
missing = [f.name for f in families if not f.documentation]
if missing:
    print('no HELP: %s' % ', '.join(missing))
    sys.exit(1)
print('%d families' % len(families))
`;

// pyenv's shim first on PATH may not see Debian's dist-packages: the system Python too.
export const OPENMETRICS_PYTHON = firstWorking(
  [process.env.TEND_PYTHON, 'python3', '/usr/bin/python3'],
  ['-c', 'import prometheus_client.openmetrics.parser'],
);

/** The `skip` option of a test that needs the parser: false when it is there, else the reason. */
export const NEEDS_OPENMETRICS_PARSER: false | string =
  OPENMETRICS_PYTHON === null
    ? 'no Python with prometheus_client (install Debian package python3-prometheus-client, or set TEND_PYTHON): OpenMetrics check skipped'
    : false;

/** Parses `text` as OpenMetrics 1.0: exit code 0 when it is valid, and what the parser said. */
export function openMetricsCheck(text: string): Promise<{ code: number | null; output: string }> {
  if (OPENMETRICS_PYTHON === null) throw new Error('the OpenMetrics parser is not available');
  return checkThrough(OPENMETRICS_PYTHON, ['-c', SCRIPT], text);
}
