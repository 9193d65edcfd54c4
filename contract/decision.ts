/** The body of approving or denying a press request (§10): an optional reason, shown to everyone. */
import { z } from 'zod';
import { REASON_MAX } from './requests.ts';

export const decisionBody = z
  .strictObject({
    reason: z
      .string({ error: 'must be text' })
      .trim()
      .max(REASON_MAX, { error: `must be at most ${REASON_MAX} characters` })
      .optional(),
  })
  .optional();
