/**
 * Passkeys (WebAuthn, CONTRACT §10): the wire shapes of adding, listing, renaming and removing one,
 * signing in with one, and confirming it's you with one. What the browser's WebAuthn call returns is
 * checked for its shape here and passed on unchanged (unknown keys kept: the verifier reads them).
 */
import { z } from 'zod';
import { stepUpBody } from './auth.ts';

/** A person keeps at most this many passkeys (a 409 beyond). */
export const MAX_PASSKEYS_PER_USER = 20;
export const PASSKEY_NAME_MAX = 64;

const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;
const base64url = (max: number) =>
  z
    .string({ error: 'is required' })
    .min(1, { error: 'is required' })
    .max(max, { error: `must be at most ${max} characters` })
    .regex(BASE64URL, { error: 'must be base64url' });

/** Control, format and separator characters: a name shows what it says. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

export const passkeyName = z
  .string({ error: 'is required' })
  .trim()
  .min(1, { error: 'is required' })
  .max(PASSKEY_NAME_MAX, { error: `must be at most ${PASSKEY_NAME_MAX} characters` })
  .refine((v) => !HIDDEN.test(v), { error: 'must not contain invisible or control characters' });

const credentialFields = {
  id: base64url(1400),
  rawId: base64url(1400),
  type: z.literal('public-key', { error: 'must be public-key' }),
  authenticatorAttachment: z.string().max(32).optional(),
  clientExtensionResults: z.looseObject({}, { error: 'must be an object' }).default({}),
};

/** What navigator.credentials.get() gave, as JSON (an AuthenticationResponseJSON). */
export const passkeyAssertion = z.looseObject(
  {
    ...credentialFields,
    response: z.looseObject(
      {
        clientDataJSON: base64url(8192),
        authenticatorData: base64url(8192),
        signature: base64url(2048),
        userHandle: base64url(172).optional(),
      },
      { error: 'must be an object' },
    ),
  },
  { error: 'must be a passkey assertion (an object)' },
);

/** What navigator.credentials.create() gave, as JSON (a RegistrationResponseJSON). */
export const passkeyCredential = z.looseObject(
  {
    ...credentialFields,
    response: z.looseObject(
      {
        clientDataJSON: base64url(8192),
        attestationObject: base64url(65_536),
        transports: z.array(z.string().max(32), { error: 'must be a list' }).max(10).optional(),
      },
      { error: 'must be an object' },
    ),
  },
  { error: 'must be a passkey credential (an object)' },
);

/** POST /api/account/passkeys: the new passkey, and what to call it (default: `Passkey <n>`). */
export const addPasskeyBody = z.object({ credential: passkeyCredential, name: passkeyName.optional() });
/** PATCH /api/account/passkeys/:id */
export const renamePasskeyBody = z.object({ name: passkeyName });
/** POST /api/auth/passkey: sign in with a passkey. */
export const passkeySignInBody = z.object({ assertion: passkeyAssertion });
/** POST /api/auth/step-up with a passkey; `project` names where to audit it (as with the password). */
export const passkeyStepUpBody = z.object({ assertion: passkeyAssertion, project: stepUpBody.shape.project });
/** POST /api/auth/step-up: the password, or a passkey assertion (the person's own passkey). */
export const anyStepUpBody = z.union([stepUpBody, passkeyStepUpBody]);

export type PasskeyAssertion = z.infer<typeof passkeyAssertion>;
export type PasskeyCredential = z.infer<typeof passkeyCredential>;

/** One of the person's passkeys. */
export interface PasskeyDto {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  transports: string[];
}

/** GET /api/account/passkeys */
export interface PasskeyList {
  passkeys: PasskeyDto[];
}
