/**
 * The browser's side of passkeys: asks the server for a challenge, lets the browser's WebAuthn run
 * (the person picks a passkey and unlocks it), and sends the answer back unchanged. The WebAuthn
 * helper library is loaded only here, when a passkey is used (it is not part of the first screen).
 * A cancelled or timed-out prompt becomes ApiFailure `passkey_cancelled` with a sentence to show.
 */
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import type { Me } from '../../../contract/api.ts';
import type { PasskeyDto } from '../../../contract/passkeys.ts';
import { t } from '../../i18n/i18n.ts';
import { ApiFailure, api } from '../../lib/api.ts';

// These sentences also show on the sign-in page and in `Confirm it's you`: they are `core` texts,
// loaded before the first render.
/** The library's error (or the browser's) in words the person can act on. */
function failure(err: unknown): ApiFailure {
  const code = (err as { code?: string })?.code;
  const name = (err as { name?: string; cause?: { name?: string } })?.cause?.name ?? (err as { name?: string })?.name;
  if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') {
    return new ApiFailure(0, 'passkey_exists', t('core.passkey.exists'));
  }
  if (code === 'ERROR_INVALID_DOMAIN' || code === 'ERROR_INVALID_RP_ID' || name === 'SecurityError') {
    return new ApiFailure(0, 'passkeys_unavailable', t('core.passkey.ipOnly'));
  }
  if (code === 'ERROR_CEREMONY_ABORTED' || name === 'NotAllowedError' || name === 'AbortError' || code === 'ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY') {
    return new ApiFailure(0, 'passkey_cancelled', t('core.passkey.cancelled'));
  }
  return new ApiFailure(0, 'passkey_failed', err instanceof Error && err.message ? err.message : t('core.passkey.failed'));
}

async function library() {
  return import('@simplewebauthn/browser');
}

/** The browser's answer for these options (navigator.credentials.get()). */
async function assert(optionsJSON: PublicKeyCredentialRequestOptionsJSON) {
  const { startAuthentication } = await library();
  try {
    return await startAuthentication({ optionsJSON });
  } catch (err) {
    throw failure(err);
  }
}

/** Adds a passkey of this device (or a security key) to the signed-in account. */
export async function addPasskey(name?: string): Promise<PasskeyDto> {
  const [{ startRegistration }, optionsJSON] = await Promise.all([library(), api<PublicKeyCredentialCreationOptionsJSON>('/api/account/passkeys/options', { method: 'POST' })]);
  let credential: unknown;
  try {
    credential = await startRegistration({ optionsJSON });
  } catch (err) {
    throw failure(err);
  }
  return api<PasskeyDto>('/api/account/passkeys', { method: 'POST', json: { credential, ...(name ? { name } : {}) } });
}

/** Signs in with a passkey the browser offers (no email typed): the new session's person. */
export async function signInWithPasskey(): Promise<Me> {
  const [, optionsJSON] = await Promise.all([library(), api<PublicKeyCredentialRequestOptionsJSON>('/api/auth/passkey/options', { method: 'POST' })]);
  const assertion = await assert(optionsJSON);
  return api<Me>('/api/auth/passkey', { method: 'POST', json: { assertion } });
}

/** Confirms it's you with one of your passkeys; `project` names where the proof is recorded. */
export async function stepUpWithPasskey(project?: string): Promise<{ provenAt: string }> {
  const [, optionsJSON] = await Promise.all([library(), api<PublicKeyCredentialRequestOptionsJSON>('/api/auth/step-up/options', { method: 'POST' })]);
  const assertion = await assert(optionsJSON);
  return api<{ provenAt: string }>('/api/auth/step-up', { method: 'POST', json: { assertion, ...(project ? { project } : {}) } });
}
