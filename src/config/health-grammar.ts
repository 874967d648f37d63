// The words of the probe and dependency grammars, as plain data (no zod): the value types
// (probe-field.ts, depends-on-field.ts) check against them, and the JSON Schema the CLI builds
// (json-schema-health.ts) lists them, without loading a schema library.
import type { DependencyCondition } from './spec.js';

/** A probe port's per-instance forms: expanded at spawn from the app's PORT (`+instance`: plus the instance number). */
export const PORT_FORMS = ['$PORT', '$PORT+instance'] as const;

export const CONDITIONS = [
  'process_started',
  'process_healthy',
  'process_log_ready',
  'process_completed',
  'process_completed_successfully',
] as const satisfies readonly DependencyCondition[];

/** Other spellings: docker compose's, and `process_ready` (the dependency's readiness). */
export const CONDITION_ALIASES: Readonly<Record<string, DependencyCondition>> = {
  service_started: 'process_started',
  service_healthy: 'process_healthy',
  service_completed_successfully: 'process_completed_successfully',
  process_ready: 'process_healthy',
};
