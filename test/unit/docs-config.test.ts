// docs/config.md cannot rot: its fields table is the field registry's (one row per field, and each row's
// type, default and flags are the registry's), every alias and stored field is listed, and every name the
// code knows appears on the page. A failure prints the row the registry expects.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ALIASES, STORED_FIELDS } from '../../src/config/field-names.js';
import {
  ACTIVE_FIELDS,
  defaultCell,
  FIELDS,
  type FieldDef,
  flagCell,
  typeCell,
} from '../../src/config/registry/index.js';

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

/** The header cells of the fields table. */
function header(): string[] {
  const line = section('Fields').find((l) => l.startsWith('| field '));
  return (line ?? '')
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
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

  it("has the registry's type, default and flags in each field's row", () => {
    const rows = fieldRows();
    assert.deepEqual(header(), ['field', 'type', 'default', 'flag', 'meaning']);
    for (const f of FIELDS as readonly FieldDef[]) {
      const [, type, def, flags] = rows.get(f.name) ?? [];
      const expected = [typeCell(f), defaultCell(f), flagCell(f)];
      assert.deepEqual(
        [type, def, flags],
        expected,
        `${f.name}: the registry says | ${expected.join(' | ')} |`,
      );
    }
  });

  it('gives the registry default of each field that has a value as default in its row', () => {
    const rows = fieldRows();
    for (const f of FIELDS as readonly FieldDef[]) {
      if (f.default === undefined) continue;
      const cell = rows.get(f.name)?.[2] ?? '';
      assert.ok(cell.includes(String(f.default)), `${f.name}: default ${f.default}, documented "${cell}"`);
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
