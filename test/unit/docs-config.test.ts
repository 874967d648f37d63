// docs/config.md cannot rot: every field the config code acts on, stores or aliases is documented, the
// stored list is the code's list exactly, and the documented defaults are the code's defaults.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ALIASES, STORED_FIELDS } from '../../src/config/field-names.js';
import { DEFAULTS } from '../../src/config/normalize.js';
import { ACTIVE_FIELDS } from '../../src/config/schema.js';

const text = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'config.md'), 'utf8');

/** The lines of the `## <title>` section, up to the next heading (`### ` subsections excluded). */
function section(title: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`## ${title}`);
  assert.notEqual(start, -1, `docs/config.md has no "## ${title}" section`);
  const end = lines.findIndex((line, i) => i > start && /^#{2,} /.test(line));
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

/** Every `code span` of a piece of text. */
function codeSpans(line: string): string[] {
  return [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
}

/** The rows of the fields table, by the field named in their first cell. */
function fieldRows(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of section('Fields')) {
    if (!line.startsWith('| `')) continue;
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
    const [name] = codeSpans(cells[0] ?? '');
    if (name !== undefined) rows.set(name, cells);
  }
  return rows;
}

describe('docs/config.md', () => {
  it('has a row in the fields table for every active field, and no other', () => {
    const documented = new Set(fieldRows().keys());
    documented.delete('env_<name>');
    assert.deepEqual([...documented].sort(), [...ACTIVE_FIELDS].sort());
  });

  it('documents env_<name> sections in the fields table', () => {
    assert.ok(fieldRows().has('env_<name>'));
  });

  it('gives the code default of each field in its row', () => {
    const rows = fieldRows();
    for (const [field, value] of Object.entries(DEFAULTS)) {
      const defaultCell = rows.get(field)?.[2] ?? '';
      assert.ok(
        defaultCell.includes(String(value)),
        `${field}: default ${value}, documented "${defaultCell}"`,
      );
    }
  });

  it('lists exactly the stored fields of the code', () => {
    const listed = section('Fields accepted and stored for later versions')
      .filter((line) => line.startsWith('- '))
      .flatMap(codeSpans);
    assert.equal(new Set(listed).size, listed.length, 'a stored field is listed twice');
    assert.deepEqual(listed.sort(), [...STORED_FIELDS].sort());
  });

  it('lists every alias next to its field', () => {
    const rows = section('Aliases').filter((line) => line.startsWith('| `'));
    for (const [field, aliases] of Object.entries(ALIASES)) {
      const row = rows.find((line) => codeSpans(line)[0] === field);
      assert.ok(row, `no alias row for ${field}`);
      assert.deepEqual(codeSpans(row).slice(1), [...aliases], field);
    }
  });

  it('mentions every field name somewhere as code', () => {
    const names = [...ACTIVE_FIELDS, ...STORED_FIELDS, ...Object.values(ALIASES).flat()];
    for (const name of names) assert.ok(text.includes(`\`${name}\``), name);
  });
});
