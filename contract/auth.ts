/** Request bodies of the PWA's session API, validated on the server and typed in the PWA. */
import { z } from 'zod';
import { PASSWORD_MIN } from './limits.ts';
import { KEY_SCOPES } from './api.ts';

export const email = z
  .string({ error: 'is required' })
  .trim()
  .max(254, { error: 'must be at most 254 characters' })
  .regex(/^[^\s@]+@[^\s@]+$/, { error: 'must be an email address' });

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
