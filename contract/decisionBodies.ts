/**
 * The request bodies and queries of §11's routes, as zod schemas: the server validates with them.
 * Apart from contract/decisions.ts so the PWA's first screen, which uses its rules, loads no zod.
 */
import { z } from 'zod';
import { INPUT_MAX, WAIT_MAX_SECONDS } from './decisions.ts';

/** The trigger body: the text typed in the confirm step, for an action with `input`. */
export const triggerBody = z
  .strictObject({
    input: z.string({ error: 'must be text' }).max(INPUT_MAX, { error: `must be at most ${INPUT_MAX} characters` }).nullish(),
  })
  .nullish();

/** `?wait=` on the decision route: whole seconds, 0 to 60. */
export const decisionQuery = z.strictObject({
  wait: z.coerce
    .number({ error: `must be a whole number of seconds from 0 to ${WAIT_MAX_SECONDS}` })
    .int({ error: `must be a whole number of seconds from 0 to ${WAIT_MAX_SECONDS}` })
    .min(0, { error: `must be a whole number of seconds from 0 to ${WAIT_MAX_SECONDS}` })
    .max(WAIT_MAX_SECONDS, { error: `must be a whole number of seconds from 0 to ${WAIT_MAX_SECONDS}` })
    .optional(),
});
