import type { AppSpec } from '../../config/spec.js';
import { defineMethod } from '../define.js';
import { DependencyDetail } from '../dependencies.js';
import { ProcessDetail, Target } from '../process-info.js';
import * as z from '../zod.js';

/**
 * An app's whole configuration as `describe` gives it: the frozen AppSpec (config/spec.ts), typed for the
 * caller. Checked as an object only: results are not validated at run time (protocol/define.ts), and the
 * spec's ~50 fields as zod types would be built for nothing.
 */
export type AppConfig = AppSpec;
const AppConfig = () => z.record(z.string(), z.unknown()) as unknown as z.ZodMiniType<AppConfig, AppConfig>;

/** One instance's details, with the typed configuration. */
export const DescribedProcess = () =>
  z.extend(ProcessDetail(), {
    config: AppConfig(),
    /** The app's dependencies and dependents (absent from a daemon before issue 13). */
    dependencies: z.optional(DependencyDetail()),
  });
export type DescribedProcess = z.infer<ReturnType<typeof DescribedProcess>>;

export const processDescribe = defineMethod({
  name: 'process.describe',
  summary: 'Everything known about the matching instances: configuration, history, recent stderr.',
  params: () => z.strictObject({ target: Target() }),
  result: () => z.strictObject({ details: z.array(DescribedProcess()) }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND'],
});
