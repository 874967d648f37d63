// Loads the daemon's settings at start: $TEND_HOME/tend.config.yaml or tend.config.json (both is an error).
// No file, no cost: nothing but two failed opens, no YAML parser, every listener off. An invalid file stops
// the daemon from starting, with one TEND_ERR_SETTINGS_INVALID naming the file, each field, what was
// expected and the fix; the CLI that started the daemon prints it.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { nestingProblem } from '../protocol/depth.js';
import { TendError } from '../protocol/errors.js';
import { readPrivateFile } from './read-file.js';
import { type DaemonSettings, DEFAULT_SETTINGS } from './types.js';
import { validateSettings } from './validate.js';

export const SETTINGS_NAMES = ['tend.config.yaml', 'tend.config.json'] as const;

export function loadSettings(home: string): DaemonSettings {
  const found: { file: string; text: string }[] = [];
  for (const name of SETTINGS_NAMES) {
    const file = join(home, name);
    const text = readPrivateFile(file, 'the settings file');
    if (text !== null) found.push({ file, text });
  }
  if (found.length === 0) return DEFAULT_SETTINGS;
  const [first, second] = found as [{ file: string; text: string }, ...{ file: string; text: string }[]];
  const invalid = (detail: string, issues?: { path: string; message: string }[]) =>
    new TendError('TEND_ERR_SETTINGS_INVALID', { file: first.file, detail, ...(issues ? { issues } : {}) });
  if (second)
    throw invalid(`${second.file} exists too: keep one settings file (YAML or JSON), remove the other`);
  const content = first.file.endsWith('.json')
    ? parseJson(first.text, invalid)
    : parseYaml(first.text, invalid);
  // Deeper than tend walks (protocol/depth.ts): said where, not a stack overflow (its verification).
  const deep = nestingProblem(content);
  if (deep !== null) throw invalid(deep);
  const result = validateSettings(content);
  if ('issues' in result) {
    const detail = result.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw invalid(detail, result.issues);
  }
  return Object.freeze({ ...result.settings, file: first.file });
}

type Invalid = (detail: string) => TendError;

function parseJson(text: string, invalid: Invalid): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalid(`invalid JSON: ${(e as Error).message.split('\n')[0]}`);
  }
}

function parseYaml(text: string, invalid: Invalid): unknown {
  // Required only when a YAML settings file exists (an external of the daemon's bundle: node_modules).
  const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  try {
    return parse(text);
  } catch (e) {
    // yaml's message is "<problem> at line L, column C:" and a code frame: keep the first line.
    throw invalid(`invalid YAML: ${((e as Error).message.split('\n')[0] ?? '').replace(/:$/, '')}`);
  }
}
