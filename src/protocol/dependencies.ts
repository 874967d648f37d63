// The dependency data the protocol shows: one `depends_on` entry as normalised (config/spec.ts
// DependencySpec), what `describe` adds about an app's dependencies, and `app.graph`'s apps.
import { Status } from './process-info.js';
import * as z from './zod.js';

const int = () => z.number().check(z.int());

export const DependencyCondition = () =>
  z.enum([
    'process_started',
    'process_healthy',
    'process_log_ready',
    'process_completed',
    'process_completed_successfully',
  ]);

/** One `depends_on` entry: compose's `service_*` spellings are already folded, durations are ms. */
export const DependencyEdge = () =>
  z.strictObject({
    name: z.string(),
    condition: DependencyCondition(),
    timeout_ms: z.number(),
    restart: z.boolean(),
    bind: z.boolean(),
    required: z.boolean(),
  });
export type DependencyEdge = z.infer<ReturnType<typeof DependencyEdge>>;

/** `describe`'s dependencies block: what the app needs (and whether it holds now), what needs it. */
export const DependencyDetail = () =>
  z.strictObject({
    depends_on: z.array(
      z.extend(DependencyEdge(), {
        /** `met`, `pending` (the dependency is still trying), or `failed` (detail says why). */
        state: z.enum(['met', 'pending', 'failed']),
        detail: z.nullable(z.string()),
      }),
    ),
    /** Apps that depend on this one directly. */
    dependents: z.array(z.string()),
  });
export type DependencyDetail = z.infer<ReturnType<typeof DependencyDetail>>;

/** One app in `app.graph`. */
export const GraphApp = () =>
  z.strictObject({
    name: z.string(),
    namespace: z.string(),
    depends_on: z.array(DependencyEdge()),
    /** Apps that depend on this one directly. */
    dependents: z.array(z.string()),
    instances: z.array(
      z.strictObject({ id: int(), status: Status(), ready: z.boolean(), reason: z.nullable(z.string()) }),
    ),
  });
export type GraphApp = z.infer<ReturnType<typeof GraphApp>>;
