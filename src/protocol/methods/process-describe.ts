import { defineMethod } from '../define.js';
import { ProcessDetail, Target } from '../process-info.js';
import * as z from '../zod.js';

export const processDescribe = defineMethod({
  name: 'process.describe',
  summary: 'Everything known about the matching instances: configuration, history, recent stderr.',
  params: () => z.strictObject({ target: Target() }),
  result: () => z.strictObject({ details: z.array(ProcessDetail()) }),
  errors: ['TEND_ERR_TARGET_NOT_FOUND'],
});
