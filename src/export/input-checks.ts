// What an export refuses in its input before anything is rendered or written, whatever the target: an app
// name tend-runtime would read as several, and flags that would write a file the target cannot use.
import type { AppSpec } from '../config/spec.js';
import { TendError } from '../protocol/errors.js';
import { CONTROL } from '../startup/systemd-unit.js';
import type { ExportInput, ExportTarget } from './model.js';
import { userProblem } from './user.js';

const WHAT_RUNS: Record<ExportTarget, string> = {
  systemd: 'unit',
  k8s: 'pod',
  compose: 'service',
};

/**
 * An app name with a comma: tend-runtime splits `--only=x,y` into x and y (as pm2-runtime does), so the
 * unit, pod or service of app `x,y` would run two other apps, or fail.
 */
function assertNoComma(app: AppSpec, target: ExportTarget): void {
  if (!app.name.includes(',')) return;
  const parts = app.name
    .split(',')
    .filter((p) => p !== '')
    .map((p) => `"${p}"`);
  throw new TendError('TEND_ERR_EXPORT_UNSAFE_VALUE', {
    app: app.name,
    field: 'name',
    problem: `holds a comma, which tend-runtime's --only reads as a list separator (as pm2-runtime does): the ${WHAT_RUNS[target]} would run ${parts.length > 0 ? `the apps ${parts.join(' and ')}` : 'no app'} instead`,
    fix: 'rename the app without a comma',
  });
}

// An image reference as Docker and the kubelet parse it (distribution/reference): an optional registry host
// (a first component with a "." or ":", or "localhost") with an optional port, a lowercase repository path,
// an optional tag, an optional digest.
const HOST =
  '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?)';
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const IMAGE = new RegExp(`^(?:${HOST}/)?${COMPONENT}(?:/${COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);

/** Why `image` is not an image reference, or null. */
export function imageProblem(image: string): string | null {
  if (image === '') return 'it is empty';
  if (/\s/.test(image) || CONTROL.test(image)) return 'it holds a blank or a control character';
  const [first = '', ...rest] = image.split('/');
  // Docker reads a first component with a capital letter as a registry host: the path after it must be lowercase.
  const hosted =
    rest.length > 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  if (!IMAGE.test(image) || (!hosted && first !== first.toLowerCase()))
    return 'expected [host[:port]/]path[:tag][@sha256:digest], the path in lowercase letters, digits and . _ - separators';
  const name = image.replace(/@.*$/, '').replace(/:[\w][\w.-]*$/, '');
  if (name.length > 255) return 'the name is longer than 255 characters';
  return null;
}

/** Throws the first refusal (coded, exit 2) for the run's input. */
export function assertExportable(target: ExportTarget, input: ExportInput): void {
  if (input.image !== null) {
    const problem = imageProblem(input.image);
    if (problem)
      throw new TendError('TEND_ERR_USAGE', {
        detail: `export: --image ${JSON.stringify(input.image)} is not an image reference: ${problem} (e.g. registry.example.com:5000/shop/api:1.4)`,
      });
  }
  if (input.user !== null) {
    const problem = userProblem(input.user);
    if (problem)
      throw new TendError('TEND_ERR_USAGE', {
        detail: `export: --user ${JSON.stringify(input.user)} is not a user systemd's User= takes: ${problem}`,
      });
  }
  for (const app of input.apps) assertNoComma(app, target);
}
