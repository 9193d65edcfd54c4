/**
 * PUT /api/projects/:slug/policy's body (CONTRACT §10), validated on the server. Apart from
 * contract/policy.ts so that the app's first screen does not load zod for the policy's types.
 */
import { z } from 'zod';
import { ESCALATION_TARGETS, POLICY_LIMITS, type PolicyChange } from './policy.ts';

const whole = (max: number, unit: string) =>
  z
    .number({ error: `must be a whole number of ${unit} from 0 to ${max}` })
    .int({ error: `must be a whole number of ${unit} from 0 to ${max}` })
    .min(0, { error: `must be a whole number of ${unit} from 0 to ${max}` })
    .max(max, { error: `must be a whole number of ${unit} from 0 to ${max}` });

const ruleChange = z.strictObject(
  {
    stepUpMinutes: whole(POLICY_LIMITS.stepUpMinutes, 'minutes').optional(),
    approvals: z.union([z.literal(0), z.literal(1), z.literal(2)], { error: 'must be 0, 1 or 2' }).optional(),
    delaySeconds: whole(POLICY_LIMITS.delaySeconds, 'seconds').optional(),
  },
  { error: 'must be an object with stepUpMinutes, approvals and delaySeconds' },
);

/** PUT /api/projects/:slug/policy: any part of the policy; what is left out stays as it is. */
export const policyChangeSchema = z.strictObject(
  {
    low: ruleChange.optional(),
    high: ruleChange.optional(),
    critical: ruleChange.optional(),
    freeze: z.boolean({ error: 'must be true or false' }).optional(),
    escalation: z
      .strictObject(
        {
          afterMinutes: whole(POLICY_LIMITS.escalationMinutes, 'minutes').optional(),
          to: z.enum(ESCALATION_TARGETS, { error: 'must be "admins" or "everyone"' }).optional(),
        },
        { error: 'must be an object with afterMinutes (0 = off) and to ("admins" or "everyone")' },
      )
      .optional(),
  },
  { error: 'must be a JSON object' },
) satisfies z.ZodType<PolicyChange>;

