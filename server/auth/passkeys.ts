/**
 * Passkeys (WebAuthn, CONTRACT §10): adding, listing, renaming and removing one's own; signing in
 * with one; confirming it's you with one (the step-up route, ./routes.ts, calls `proveWithPasskey`).
 *
 * - The relying party is PUBLIC_URL's host and origin (config.ts relyingParty): browsers refuse an IP
 *   address, so without a host name every route here answers 409 `passkeys_unavailable`, saying why.
 * - Each ceremony's challenge is stored (any instance may get the answer) and taken once, before the
 *   answer is verified: a replayed answer, or one for a challenge never given, is refused. Adding a
 *   passkey and confirming it's you bind the challenge to the session that asked for it.
 * - The library checks the signature, origin, RP ID, user verification and that the counter moved;
 *   what it leaves to us is checked here: the credential is the one stored under the answer's id, it
 *   is the signed-in person's own (step-up), and its user handle is its owner's (sign-in). The new
 *   counter is written with a compare-and-set, so two uses of one counter value cannot both pass.
 * - The person's WebAuthn user handle is their account id (a random UUID: nothing personal in it).
 * - Failures count in the sign-in limiter: a failed passkey sign-in against the address, a failed
 *   step-up like a wrong password.
 */
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditKind, Me } from '../../contract/api.ts';
import {
  addPasskeyBody,
  MAX_PASSKEYS_PER_USER,
  type PasskeyAssertion,
  type PasskeyDto,
  type PasskeyList,
  passkeySignInBody,
  renamePasskeyBody,
} from '../../contract/passkeys.ts';
import { audit } from '../audit/log.ts';
import type { RelyingParty } from '../config.ts';
import { doc, PUBLIC, SIGNED_IN } from '../http/access.ts';
import { ApiError } from '../http/errors.ts';
import { parseOr400 } from '../http/parse.ts';
import type { AppStore, ChallengePurpose, PasskeyRow, StoreRepositories } from '../store/types.ts';
import { publicMe, type SessionAuth, type SessionUser } from './session.ts';
import { refuseIfLimited, type signInLimiter } from './signInLimiter.ts';

/** How long the browser waits for the person (the options' timeout). */
export const CEREMONY_TIMEOUT_MS = 120_000;
/** How long a challenge may be answered: the timeout and some slack. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
/**
 * Adding or removing a passkey needs proof of who you are this recent (signing in counts): a stolen
 * session alone cannot plant its own passkey, nor take the person's away.
 */
export const PASSKEY_CHANGE_PROOF_MS = 10 * 60_000;
/** EdDSA, ES256, RS256: what every Node from 20 on verifies (a newer one would also offer ML-DSA). */
const ALGORITHMS = [-8, -7, -257];
const RP_NAME = 'Switchboard';

type Limiter = ReturnType<typeof signInLimiter>;

export interface PasskeyOptions {
  store: AppStore;
  auth: SessionAuth;
  now: () => number;
  relyingParty: RelyingParty | { unavailable: string };
  limiter: Limiter;
}

const toDto = (p: PasskeyRow): PasskeyDto => ({
  id: p.id,
  name: p.name,
  createdAt: new Date(p.created_at).toISOString(),
  lastUsedAt: p.last_used_at === null ? null : new Date(p.last_used_at).toISOString(),
  transports: p.transports,
});

/** The WebAuthn user handle of an account: its id's bytes. */
const userHandleOf = (userId: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(userId) as Uint8Array<ArrayBuffer>;

/** The challenge an answer's client data names (null: not client data at all). */
function challengeIn(clientDataJSON: string): string | null {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof data.challenge === 'string' && data.challenge.length > 0 && data.challenge.length <= 200 ? data.challenge : null;
  } catch {
    return null;
  }
}

/** Appends an account change to the audit log of every project the person is in (owners: all of them). */
async function auditAccount(tx: StoreRepositories, user: SessionUser, kind: AuditKind, at: number, detail: { name: string }): Promise<void> {
  const projects = user.role === 'owner' ? await tx.projects.all() : await tx.projects.forUser(user.id);
  for (const project of projects) await audit(tx, project.id, user, kind, user.email, at, detail);
}

export function passkeyCeremonies({ store, now, relyingParty, limiter }: Omit<PasskeyOptions, 'auth'>) {
  function rp(): RelyingParty {
    if ('unavailable' in relyingParty) throw new ApiError(409, 'passkeys_unavailable', relyingParty.unavailable);
    return relyingParty;
  }

  async function remember(challenge: string, purpose: ChallengePurpose, user: SessionUser | null): Promise<void> {
    const t = now();
    await store.passkeys.saveChallenge({ challenge, purpose, userId: user?.id ?? null, sessionHash: user?.sessionHash ?? null, expiresAt: t + CHALLENGE_TTL_MS }, t);
  }

  /** Takes the challenge the answer names, when this server gave it for this purpose (and session) and it is unused. */
  async function take(clientDataJSON: string, purpose: ChallengePurpose, session: string | null): Promise<string | null> {
    const challenge = challengeIn(clientDataJSON);
    if (challenge === null) return null;
    const taken = await store.passkeys.takeChallenge(challenge, purpose, now());
    if (!taken || (session !== null && taken.sessionHash !== session)) return null;
    return taken.challenge;
  }

  /**
   * Verifies an assertion against a stored passkey and moves its counter; the reason when refused.
   * The challenge must have been taken already.
   */
  async function verifyUse(assertion: PasskeyAssertion, passkey: PasskeyRow, challenge: string): Promise<string | null> {
    const party = rp();
    let newCounter: number;
    try {
      const result = await verifyAuthenticationResponse({
        response: assertion as AuthenticationResponseJSON,
        expectedChallenge: challenge,
        expectedOrigin: party.origin,
        expectedRPID: party.id,
        credential: { id: passkey.id, publicKey: passkey.public_key as Uint8Array<ArrayBuffer>, counter: passkey.counter, transports: passkey.transports as never },
        requireUserVerification: true,
      });
      if (!result.verified) return 'not verified';
      newCounter = result.authenticationInfo.newCounter;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
    // Another use of the same counter value got in first: this one is a replay or a clone.
    if (!(await store.passkeys.used(passkey.id, passkey.counter, newCounter, now()))) return 'counter changed meanwhile';
    return null;
  }

  return {
    rp,
    remember,
    take,
    verifyUse,
    /**
     * Step-up with a passkey: the assertion must answer this session's step-up challenge, with one of
     * the person's own passkeys. A refusal is a 403 (the session stands), counted like a wrong password.
     */
    async proveWithPasskey(user: SessionUser, assertion: PasskeyAssertion, request: FastifyRequest): Promise<void> {
      rp();
      const refuse = async (why: string): Promise<never> => {
        await limiter.failed(user.email.toLowerCase(), user.address);
        request.log.info({ why }, 'passkey step-up refused');
        throw new ApiError(403, 'passkey_refused', 'this passkey was not accepted: try again', 'assertion');
      };
      const challenge = await take(assertion.response.clientDataJSON, 'step_up', user.sessionHash);
      if (challenge === null) return refuse('challenge not given, used or expired');
      const passkey = await store.passkeys.byId(assertion.id);
      // Someone else's passkey proves nothing about this person.
      if (!passkey || passkey.user_id !== user.id) return refuse('not a passkey of this person');
      const why = await verifyUse(assertion, passkey, challenge);
      if (why !== null) return refuse(why);
    },
  };
}

export async function passkeyRoutes(app: FastifyInstance, options: PasskeyOptions) {
  const { store, auth, now, limiter } = options;
  const ceremonies = passkeyCeremonies(options);
  const { rp } = ceremonies;

  /** Adding or removing a passkey: the session must have proved who it is lately (401 step_up_required). */
  function requireRecentProof(user: SessionUser): void {
    if (now() - user.provenAt <= PASSKEY_CHANGE_PROOF_MS) return;
    throw new ApiError(401, 'step_up_required', `confirm it's you first: changing your passkeys needs proof within ${PASSKEY_CHANGE_PROOF_MS / 60_000} min`);
  }

  app.get('/api/account/passkeys', doc(SIGNED_IN, { tag: 'Account', summary: 'Your passkeys' }), async (request): Promise<PasskeyList> => {
    const user = auth.requireUser(request);
    return { passkeys: (await store.passkeys.list(user.id)).map(toDto) };
  });

  const registerOptions = doc(SIGNED_IN, { tag: 'Account', summary: 'Start adding a passkey: the options for navigator.credentials.create()' });
  app.post('/api/account/passkeys/options', registerOptions, async (request) => {
    const user = auth.requireUser(request);
    const party = rp();
    requireRecentProof(user);
    const existing = await store.passkeys.list(user.id);
    if (existing.length >= MAX_PASSKEYS_PER_USER) {
      throw new ApiError(409, 'too_many_passkeys', `you may keep at most ${MAX_PASSKEYS_PER_USER} passkeys: remove one first`);
    }
    const options = await generateRegistrationOptions({
      rpName: RP_NAME,
      rpID: party.id,
      userName: user.email,
      userDisplayName: user.name || user.email,
      userID: userHandleOf(user.id),
      timeout: CEREMONY_TIMEOUT_MS,
      attestationType: 'none',
      // The authenticator refuses to make a second passkey for the same account.
      excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports as never })),
      // Discoverable (sign-in without typing an email) and verified (a PIN or biometric, not a tap alone).
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      supportedAlgorithmIDs: ALGORITHMS,
    });
    await ceremonies.remember(options.challenge, 'register', user);
    return options;
  });

  const add = doc(SIGNED_IN, { tag: 'Account', summary: 'Add a passkey: the answer of navigator.credentials.create()', body: addPasskeyBody, status: 201 });
  app.post('/api/account/passkeys', add, async (request, reply): Promise<PasskeyDto> => {
    const user = auth.requireUser(request);
    const body = parseOr400(addPasskeyBody, request.body);
    const party = rp();
    requireRecentProof(user);
    const challenge = await ceremonies.take(body.credential.response.clientDataJSON, 'register', user.sessionHash);
    if (challenge === null) {
      throw new ApiError(400, 'invalid_challenge', 'this answer is not for a challenge this session was given, or it was used or expired: try again', 'credential');
    }
    let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
    try {
      verified = await verifyRegistrationResponse({
        response: body.credential as RegistrationResponseJSON,
        expectedChallenge: challenge,
        expectedOrigin: party.origin,
        expectedRPID: party.id,
        requireUserVerification: true,
        supportedAlgorithmIDs: ALGORITHMS,
      });
    } catch (err) {
      request.log.info({ why: err instanceof Error ? err.message : String(err) }, 'passkey not added');
      throw new ApiError(400, 'invalid_passkey', `this passkey could not be added: ${err instanceof Error ? err.message : 'it did not verify'}`, 'credential');
    }
    if (!verified.verified || !verified.registrationInfo) throw new ApiError(400, 'invalid_passkey', 'this passkey could not be added: it did not verify', 'credential');
    const { credential } = verified.registrationInfo;
    const at = now();
    const added = await store.transaction(async (tx) => {
      const count = await tx.passkeys.count(user.id);
      if (count >= MAX_PASSKEYS_PER_USER) {
        throw new ApiError(409, 'too_many_passkeys', `you may keep at most ${MAX_PASSKEYS_PER_USER} passkeys: remove one first`);
      }
      const row = {
        id: credential.id,
        user_id: user.id,
        public_key: credential.publicKey,
        counter: credential.counter,
        transports: (credential.transports ?? []).filter((t) => /^[a-z-]{1,32}$/.test(t)),
        name: body.name ?? `Passkey ${count + 1}`,
        created_at: at,
      };
      // A credential id is one passkey's, across every account (WebAuthn §7.1 step 22).
      if (!(await tx.passkeys.add(row))) throw new ApiError(409, 'passkey_exists', 'this passkey is already added', 'credential');
      await auditAccount(tx, user, 'passkey.added', at, { name: row.name });
      return { ...row, last_used_at: null };
    });
    reply.code(201);
    return toDto(added);
  });

  const rename = doc(SIGNED_IN, { tag: 'Account', summary: 'Rename one of your passkeys', body: renamePasskeyBody });
  app.patch<{ Params: { id: string } }>('/api/account/passkeys/:id', rename, async (request): Promise<PasskeyDto> => {
    const user = auth.requireUser(request);
    const body = parseOr400(renamePasskeyBody, request.body);
    // Another person's passkey is not there, for this person.
    if (!(await store.passkeys.rename(user.id, request.params.id, body.name))) throw new ApiError(404, 'not_found', 'no such passkey');
    const row = await store.passkeys.byId(request.params.id);
    if (!row || row.user_id !== user.id) throw new ApiError(404, 'not_found', 'no such passkey');
    return toDto(row);
  });

  const remove = doc(SIGNED_IN, { tag: 'Account', summary: 'Remove one of your passkeys', status: 204 });
  app.delete<{ Params: { id: string } }>('/api/account/passkeys/:id', remove, async (request, reply) => {
    const user = auth.requireUser(request);
    requireRecentProof(user);
    const at = now();
    const removed = await store.transaction(async (tx) => {
      const name = await tx.passkeys.remove(user.id, request.params.id);
      if (name !== null) await auditAccount(tx, user, 'passkey.removed', at, { name });
      return name;
    });
    if (removed === null) throw new ApiError(404, 'not_found', 'no such passkey');
    reply.code(204).send();
  });

  const signInOptions = doc(PUBLIC, { tag: 'Account', summary: 'Start signing in with a passkey: the options for navigator.credentials.get()' });
  app.post('/api/auth/passkey/options', signInOptions, async (request) => {
    const party = rp();
    // An address that keeps failing gets no more challenges either (each is a stored row).
    refuseIfLimited(await limiter.checkAddress(request.ip), 'too many failed sign-in attempts; wait and try again');
    refuseIfLimited(await limiter.challenge(request.ip), 'too many passkey sign-ins from this address; wait and try again');
    // No allowCredentials: the browser offers the passkeys it holds for this site (discoverable).
    const options = await generateAuthenticationOptions({ rpID: party.id, userVerification: 'required', timeout: CEREMONY_TIMEOUT_MS });
    await ceremonies.remember(options.challenge, 'sign_in', null);
    return options;
  });

  const signIn = doc(PUBLIC, { tag: 'Account', summary: 'Sign in with a passkey: sets the session cookie', body: passkeySignInBody });
  app.post('/api/auth/passkey', signIn, async (request, reply): Promise<Me> => {
    const body = parseOr400(passkeySignInBody, request.body);
    rp();
    refuseIfLimited(await limiter.checkAddress(request.ip), 'too many failed sign-in attempts; wait and try again');
    const refuse = async (why: string): Promise<never> => {
      await limiter.failedAddress(request.ip);
      request.log.info({ why }, 'passkey sign-in refused');
      throw new ApiError(401, 'passkey_refused', 'this passkey was not accepted: try again, or sign in with your password');
    };
    const { assertion } = body;
    const challenge = await ceremonies.take(assertion.response.clientDataJSON, 'sign_in', null);
    if (challenge === null) return refuse('challenge not given, used or expired');
    const passkey = await store.passkeys.byId(assertion.id);
    if (!passkey) return refuse('no such passkey');
    // The authenticator says whose passkey it is: it must be the account that added it.
    const handle = assertion.response.userHandle;
    if (handle !== undefined && Buffer.from(handle, 'base64url').toString('utf8') !== passkey.user_id) return refuse('user handle is not the owner');
    const why = await ceremonies.verifyUse(assertion, passkey, challenge);
    if (why !== null) return refuse(why);
    const user = await store.users.byId(passkey.user_id);
    if (!user) return refuse('account gone');
    // OIDC_ONLY: only an owner signs in any other way than through the provider.
    auth.refuseUnlessOwner(user);
    // Signing in proves who you are: the new session starts proven (sessions.proven_at).
    await auth.issue(reply, user.id);
    return publicMe(user);
  });

  const stepUpOptions = doc(SIGNED_IN, { tag: 'Account', summary: "Start confirming it's you with a passkey: the options for navigator.credentials.get()" });
  app.post('/api/auth/step-up/options', stepUpOptions, async (request) => {
    const user = auth.requireUser(request);
    const party = rp();
    const passkeys = await store.passkeys.list(user.id);
    if (passkeys.length === 0) throw new ApiError(409, 'no_passkey', "you have no passkey: confirm it's you with your password");
    const options = await generateAuthenticationOptions({
      rpID: party.id,
      allowCredentials: passkeys.map((p) => ({ id: p.id, transports: p.transports as never })),
      userVerification: 'required',
      timeout: CEREMONY_TIMEOUT_MS,
    });
    await ceremonies.remember(options.challenge, 'step_up', user);
    return options;
  });
}
