/**
 * The request bodies of §12's routes, as zod schemas: the server validates with them. Apart from
 * contract/triage.ts so the PWA's first screen, which uses its words and rules, loads no zod.
 */
import { z } from 'zod';
import { NOTE_MAX, NOTES_PAGE } from './triage.ts';

export const assignBody = z.strictObject({
  userId: z.string({ error: 'must be a member’s id, or null to unassign' }).min(1, { error: 'must not be empty' }).max(64, { error: 'is not a member’s id' }).nullable(),
});

export const snoozeBody = z.strictObject({
  until: z.iso.datetime({ offset: true, error: 'must be a date and time (ISO 8601, e.g. 2026-12-08T07:00:00Z)' }),
});

export const noteBody = z.strictObject({
  text: z
    .string({ error: 'must be text' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(NOTE_MAX, { error: `must be at most ${NOTE_MAX} characters` }),
});

export const notesQuery = z.strictObject({
  before: z.string().max(80, { error: 'is not a page of these notes' }).optional(),
  limit: z.coerce.number({ error: `must be a whole number from 1 to ${NOTES_PAGE}` }).int().min(1).max(NOTES_PAGE, { error: `must be at most ${NOTES_PAGE}` }).optional(),
});
