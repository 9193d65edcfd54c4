/** Request bodies of the PWA's session API, validated on the server and typed in the PWA. */
import { z } from 'zod';
import { PASSWORD_MIN } from './limits.ts';
import { KEY_SCOPES } from './api.ts';

/**
 * Characters that do not show, or that reorder or break what is shown: controls (Cc, NUL among them),
 * format characters (Cf: zero-width space U+200B, bidi overrides like U+202E, BOM), lone surrogates,
 * line and paragraph separators (Zl, Zp) and the other default-ignorable code points (Hangul fillers,
 * variation selectors; a name keeps some, below). With them `owner@example.com\u200b` or a reversed name reads as someone else.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
/** In an email nothing may hide, nor separate: any separator but the plain space (which the format check refuses). */
const EMAIL_INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]|(?! )\p{Zs}/u;
/**
 * What a name keeps of them: variation selectors (❤️), and the zero-width (non-)joiner between two
 * letters, marks or emoji — Persian and Indic names need it, and so do 👨‍👩‍👧-style emoji.
 */
const JOINABLE = '\\p{L}\\p{M}\\p{Extended_Pictographic}\\p{Emoji_Modifier}';
const JOINER_IN_WORD = new RegExp(`(?<=[${JOINABLE}])[\\u200C\\u200D](?=[${JOINABLE}])`, 'gu');
const VARIATION_SELECTOR = /\p{Variation_Selector}/gu;
export const INVISIBLE_MESSAGE = 'must not contain invisible or control characters';

const noInvisibleEmail = (value: string) => !EMAIL_INVISIBLE.test(value);
const noInvisibleName = (value: string) => !INVISIBLE.test(value.replace(JOINER_IN_WORD, '').replace(VARIATION_SELECTOR, ''));

/**
 * An account's email as stored and compared: invisible characters refused (before anything else, so
 * the answer names the field), then NFKC-normalised (`ｏｗｎｅｒ` is `owner`) and lower-cased. Both stores
 * look emails up case-insensitively; storing one spelling makes that hold beyond ASCII too.
 */
export const email = z
  .string({ error: 'is required' })
  .trim()
  .refine(noInvisibleEmail, { error: INVISIBLE_MESSAGE })
  .normalize('NFKC')
  .toLowerCase()
  // Lower-casing can leave a string NFKC would change (`İ` → `i̇`): normalised again, the result is stable.
  .normalize('NFKC')
  .trim()
  .max(254, { error: 'must be at most 254 characters' })
  .regex(/^[^\s@]+@[^\s@]+$/, { error: 'must be an email address' });

/**
 * A person's display name (may be empty): trimmed, invisible and control characters refused,
 * NFKC-normalised, at most 80 characters. Used for an account's name wherever one is set.
 */
export const personName = z
  .string({ error: 'is required' })
  .trim()
  .refine(noInvisibleName, { error: INVISIBLE_MESSAGE })
  .normalize('NFKC')
  .trim()
  .max(80, { error: 'must be at most 80 characters' });

export const newPassword = z
  .string({ error: 'is required' })
  .min(PASSWORD_MIN, { error: `must be at least ${PASSWORD_MIN} characters` })
  .max(1024, { error: 'is too long' });

export const signInBody = z.object({
  email,
  password: z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(1024, { error: 'is too long' }),
});

export const setupBody = z.object({
  token: z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(200, { error: 'is too long' }),
  email,
  password: newPassword,
});

export const createApiKeyBody = z.object({
  name: z.string({ error: 'is required' }).trim().min(1, { error: 'is required' }).max(64, { error: 'must be at most 64 characters' }),
  scope: z.enum(KEY_SCOPES, { error: 'must be ingest or read' }).default('ingest'),
});

export type SignInBody = z.infer<typeof signInBody>;
export type SetupBody = z.infer<typeof setupBody>;
export type CreateApiKeyBody = z.input<typeof createApiKeyBody>;

/** POST /api/auth/step-up: prove who you are again (§10), by password; `project` names where to audit it. */
export const stepUpBody = z.object({
  password: z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(1024, { error: 'must be at most 1024 characters' }),
  project: z.string({ error: 'must be a project slug' }).max(64, { error: 'must be a project slug' }).optional(),
});
