// One entry for the three targets: the renderer's files and warnings, serialised (YAML for k8s and
// compose). Pure: the CLI loads, calls this, and writes or prints.
import { composeDocument } from './compose.js';
import { hashComment } from './header.js';
import { assertExportable } from './input-checks.js';
import { k8sObjects } from './k8s.js';
import type { ExportInput, ExportResult, ExportTarget } from './model.js';
import { assertDistinctNames } from './name-clash.js';
import { renderSystemd } from './systemd.js';
import { yamlText } from './yaml-text.js';

// Strings any YAML 1.1 or 1.2 reader would take for something else are quoted (compose's restart: "no").
const yaml = yamlText;

export function renderExport(target: ExportTarget, input: ExportInput): ExportResult {
  // Before anything is rendered or written: one object must not replace another.
  assertExportable(target, input);
  assertDistinctNames(target, input.apps);
  if (target === 'systemd') return renderSystemd(input);
  if (target === 'k8s') {
    const { objects, warnings } = k8sObjects(input);
    const content = hashComment(input, 'k8s') + objects.map((o) => `---\n${yaml(o)}`).join('');
    return { files: [{ name: 'k8s.yaml', content }], warnings };
  }
  const { document, warnings } = composeDocument(input);
  return {
    files: [{ name: 'compose.yaml', content: hashComment(input, 'compose') + yaml(document) }],
    warnings,
  };
}
