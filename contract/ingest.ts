/**
 * The ingest wire format (CONTRACT.md §1): what an app may POST to /api/v1/log, and the
 * normalised event the server stores. The server validates with it; the PWA imports its types.
 */
import { z } from 'zod';
import { ACTION_EMPHASIS, type ActionEmphasis, EVENT_TYPES, type EventType, LIMITS, ROW_TYPES, type RowType } from './limits.ts';
import { RISKS, type Risk, riskOf } from './policy.ts';
import { graphemes, hasUserinfo, isEmoji, isHttpUrl, slugifyKey, utf8Bytes } from './text.ts';
import { type ActionInputSpec, INPUT_LABEL_MAX, INPUT_MAX } from './decisions.ts';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface Row {
  label: string | null;
  type: RowType;
  content: JsonValue;
}

export interface NormalizedAction {
  key: string;
  buttonText: string;
  /** Empty for a reply action (§11): its answer is recorded, never sent to a URL. */
  url: string;
  external: boolean;
  /** A reply action (§11): one answer to the event's question. */
  reply: boolean;
  /** A text field in the confirm step (§11), sent with the press. */
  input: ActionInputSpec | null;
  /** Its success resolves the event (§12): a refund ends the "payment failed". */
  resolves: boolean;
  expireIn: number;
  meta: JsonValue;
  repeat: boolean;
  type: ActionEmphasis | null;
  /** `admin`: only a project's admins may press it (members see it disabled, "Admins only"). */
  role: 'admin' | null;
  /** What a press requires under the project's policy (§10): the sender's, or `high` for danger, else `low`. */
  risk: Risk;
  /** The sender's own words for what the press does, shown first in the confirm dialog. */
  confirmText: string | null;
}

export interface NormalizedEvent {
  name: string | null;
  avatar: string | null;
  type: EventType;
  /** text: string; json: any JSON value; image: URL string; rows: Row[]; null when absent. */
  content: JsonValue | Row[] | null;
  category: string | null;
  notify: boolean;
  test: boolean;
  contextId: string | null;
  contextStart: boolean;
  userId: string | null;
  actions: NormalizedAction[];
  /** Where the server POSTs the event's decision once it is made or expires (§11). */
  replyUrl: string | null;
  /** §12: while an event with this key is unresolved in the project, this one updates it in place. */
  dedupKey: string | null;
  /** `resolved` (with a dedupKey): resolves the unresolved event with that key. */
  state: 'open' | 'resolved';
  /** Must reach people now: pushed through quiet hours. */
  urgent: boolean;
}

export interface IngestProblem {
  field: string | null;
  message: string;
}

export type IngestResult =
  | { ok: true; event: NormalizedEvent; warnings: string[] }
  | { ok: false; problem: IngestProblem };

const KNOWN_FIELDS = new Set([
  'name', 'avatar', 'type', 'content', 'category', 'notify', 'test',
  'contextId', 'contextStart', 'userId', 'actions', 'replyUrl', 'dedupKey', 'state', 'urgent',
]);

const TOO_DEEP = `must not nest objects and arrays more than ${LIMITS.jsonDepth} levels deep`;

/**
 * True when objects/arrays in `value` nest more than `max` levels. Iterative (no stack to overflow),
 * and it allocates only its own stack of containers still to look into: it runs on every event.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const containers: object[] = [value];
  const levels: number[] = [1];
  for (let container = containers.pop(); container !== undefined; container = containers.pop()) {
    const level = levels.pop()!;
    if (level > max) return true;
    const inside = Array.isArray(container) ? container : Object.values(container);
    for (const v of inside) {
      if (v !== null && typeof v === 'object') {
        containers.push(v);
        levels.push(level + 1);
      }
    }
  }
  return false;
}

/** Credentials in a URL would be shown to everyone who reads the event. */
const USERINFO = 'must not contain a user name or password (user:pass@)';
const stringish = z.union([z.string(), z.number().finite()], { error: 'must be a string or a number' }).transform(String);
const bool = z.boolean({ error: 'must be true or false' });
const httpUrl = z
  .string({ error: 'must be a string' })
  .max(LIMITS.url, { error: `must be at most ${LIMITS.url} characters` })
  .refine(isHttpUrl, { error: 'must be an absolute http: or https: URL' })
  .refine((v) => !hasUserinfo(v), { error: USERINFO });

const inputSchema = z.strictObject(
  {
    label: z
      .string({ error: 'is required and must be a string' })
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(INPUT_LABEL_MAX, { error: `must be at most ${INPUT_LABEL_MAX} characters` }),
    required: bool.nullish(),
    maxLength: z
      .number({ error: `must be a whole number from 1 to ${INPUT_MAX}` })
      .int({ error: `must be a whole number from 1 to ${INPUT_MAX}` })
      .min(1, { error: `must be a whole number from 1 to ${INPUT_MAX}` })
      .max(INPUT_MAX, { error: `must be a whole number from 1 to ${INPUT_MAX}` })
      .nullish(),
  },
  { error: 'must be an object: {"label": "…", "required": true|false, "maxLength": ≤ 2000}' },
);

export const actionSchema = z.object(
  {
    // Required, except on a reply action (normalizeActions says which).
    url: httpUrl.nullish(),
    reply: bool.nullish(),
    input: inputSchema.nullish(),
    resolves: bool.nullish(),
    buttonText: z
      .string({ error: 'is required and must be a string' })
      .refine((v) => v.trim().length >= 1, { error: 'must not be empty' })
      .refine((v) => v.length <= LIMITS.buttonText, { error: `must be at most ${LIMITS.buttonText} characters` }),
    key: z
      .string({ error: 'must be a string' })
      .min(1, { error: 'must not be empty' })
      .max(LIMITS.actionKey, { error: `must be at most ${LIMITS.actionKey} characters` })
      .nullish(),
    external: bool.nullish(),
    expireIn: z
      .number({ error: 'must be a whole number of minutes' })
      .int({ error: 'must be a whole number of minutes' })
      .min(LIMITS.expireInMin, { error: `must be between ${LIMITS.expireInMin} and ${LIMITS.expireInMax} minutes` })
      .max(LIMITS.expireInMax, { error: `must be between ${LIMITS.expireInMin} and ${LIMITS.expireInMax} minutes` })
      .nullish(),
    meta: z
      .union([z.string(), z.array(z.unknown()), z.record(z.string(), z.unknown())], {
        error: 'must be a string, an object or an array',
      })
      .nullish()
      // Checked first, and aborting: serializing a hostile nesting would overflow the stack.
      .refine((v) => !nestedDeeperThan(v, LIMITS.jsonDepth), { error: TOO_DEEP, abort: true })
      .refine((v) => v == null || utf8Bytes(JSON.stringify(v)) <= LIMITS.metaBytes, {
        error: `must be at most ${LIMITS.metaBytes} bytes serialized`,
      }),
    repeat: bool.nullish(),
    type: z.enum(ACTION_EMPHASIS, { error: 'must be "danger" or "important"' }).nullish(),
    role: z.enum(['admin'], { error: 'must be "admin" (or left out: every member may press)' }).nullish(),
    risk: z.enum(RISKS, { error: 'must be "low", "high" or "critical"' }).nullish(),
    confirmText: z
      .string({ error: 'must be a string' })
      .refine((v) => v.trim().length >= 1, { error: 'must not be empty' })
      .refine((v) => v.length <= LIMITS.confirmText, { error: `must be at most ${LIMITS.confirmText} characters` })
      .nullish(),
  },
  { error: 'must be an object' },
);

export const eventSchema = z.object(
  {
    name: stringish
      .refine((v) => v.length <= LIMITS.name, { error: `must be at most ${LIMITS.name} characters` })
      .nullish(),
    avatar: z.string({ error: 'must be a string' }).nullish(),
    type: z
      .enum([...EVENT_TYPES, 'map'], { error: 'must be one of text, json, image, rows' })
      .nullish(),
    content: z.unknown().optional(),
    category: z
      .string({ error: 'must be a string' })
      .max(LIMITS.category, { error: `must be at most ${LIMITS.category} characters` })
      .nullish(),
    notify: bool.nullish(),
    test: bool.nullish(),
    contextId: stringish
      .refine((v) => v.length <= LIMITS.contextId, { error: `must be at most ${LIMITS.contextId} characters` })
      .nullish(),
    contextStart: bool.nullish(),
    userId: stringish
      .refine((v) => v.length <= LIMITS.userId, { error: `must be at most ${LIMITS.userId} characters` })
      .nullish(),
    actions: z
      .array(actionSchema, { error: 'must be an array' })
      .max(LIMITS.actions, { error: `must hold at most ${LIMITS.actions} actions` })
      .nullish(),
    replyUrl: httpUrl.nullish(),
    dedupKey: stringish
      .refine((v) => v.trim().length >= 1, { error: 'must not be empty' })
      .refine((v) => v.length <= LIMITS.dedupKey, { error: `must be at most ${LIMITS.dedupKey} characters` })
      .nullish(),
    state: z.enum(['open', 'resolved'], { error: 'must be "open" or "resolved"' }).nullish(),
    urgent: bool.nullish(),
  },
  { error: 'the body must be a JSON object' },
);

/** `['actions', 1, 'expireIn']` → `actions[1].expireIn` */
export function formatPath(path: readonly PropertyKey[]): string | null {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? null : out;
}

class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function normalizeAvatar(raw: string | null | undefined): string | null {
  const value = raw?.trim();
  if (!value) return null;
  if (value.length <= LIMITS.url && isHttpUrl(value)) {
    if (hasUserinfo(value)) throw new FieldError('avatar', USERINFO);
    return value;
  }
  // Fewer code units than the limit cannot be more graphemes; segmenting is the slow path.
  if (value.length > LIMITS.avatarText && graphemes(value).length > LIMITS.avatarText) {
    throw new FieldError('avatar', `must be an emoji, up to ${LIMITS.avatarText} characters of text, or an http(s) image URL`);
  }
  return value;
}

function asJsonValue(raw: unknown, field: string): JsonValue {
  if (typeof raw === 'string') {
    try {
      return JSON.parse(raw) as JsonValue;
    } catch {
      throw new FieldError(field, 'must be an object, an array, or a string holding valid JSON');
    }
  }
  if (raw !== null && typeof raw === 'object') return raw as JsonValue;
  throw new FieldError(field, 'must be an object, an array, or a string holding valid JSON');
}

function asText(raw: unknown, field: string): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  throw new FieldError(field, 'must be a string for this type');
}

function asImageUrl(raw: unknown, field: string): string {
  if (typeof raw !== 'string' || raw.length > LIMITS.url || !isHttpUrl(raw)) {
    throw new FieldError(field, 'must be an http(s) image URL');
  }
  if (hasUserinfo(raw)) throw new FieldError(field, USERINFO);
  return raw;
}

function normalizeRows(raw: unknown): Row[] {
  if (!Array.isArray(raw)) throw new FieldError('content', 'must be an array of rows for type rows');
  return raw.map((row: unknown, i): Row => {
    const at = `content[${i}]`;
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new FieldError(at, 'must be an object');
    const r = row as Record<string, unknown>;
    const type = r.type ?? 'text';
    if (type === 'rows') throw new FieldError(`${at}.type`, 'rows cannot hold rows');
    if (!(ROW_TYPES as readonly unknown[]).includes(type)) throw new FieldError(`${at}.type`, 'must be one of text, json, image');
    let label: string | null = null;
    if (r.label != null) {
      if (typeof r.label !== 'string' && typeof r.label !== 'number') throw new FieldError(`${at}.label`, 'must be a string');
      label = String(r.label);
    }
    if (!('content' in r)) throw new FieldError(`${at}.content`, 'is required');
    const rowType = type as RowType;
    const content =
      rowType === 'json' ? asJsonValue(r.content, `${at}.content`)
      : rowType === 'image' ? asImageUrl(r.content, `${at}.content`)
      : asText(r.content, `${at}.content`);
    return { label, type: rowType, content };
  });
}

function normalizeContent(type: EventType | 'map', raw: unknown): NormalizedEvent['content'] {
  if (raw === undefined || raw === null) return null;
  switch (type) {
    case 'json':
      return asJsonValue(raw, 'content');
    case 'image':
      return asImageUrl(raw, 'content');
    case 'rows':
      return normalizeRows(raw);
    case 'map':
      return typeof raw === 'object' ? JSON.stringify(raw, null, 2) : asText(raw, 'content');
    default:
      return asText(raw, 'content');
  }
}

/** A reply action is an answer, not a request to a URL: no url, not a link, and answered once. */
function checkReply(a: z.infer<typeof actionSchema>, i: number) {
  const at = `actions[${i}]`;
  if (!a.reply) {
    if (a.url == null) throw new FieldError(`${at}.url`, 'is required (or "reply": true for an answer recorded by the server)');
    return;
  }
  if (a.url != null) throw new FieldError(`${at}.url`, 'must be left out of a reply action: its answer is recorded and read back, never sent to a URL');
  if (a.external) throw new FieldError(`${at}.external`, 'a reply action cannot be a link');
  if (a.repeat) throw new FieldError(`${at}.repeat`, 'a question is answered once: a reply action cannot repeat');
}

function normalizeActions(actions: z.infer<typeof actionSchema>[]): NormalizedAction[] {
  const explicit = new Set<string>();
  actions.forEach(checkReply);
  actions.forEach((a, i) => {
    if (a.key == null) return;
    if (explicit.has(a.key)) throw new FieldError(`actions[${i}].key`, 'must be unique within the event');
    explicit.add(a.key);
  });
  const used = new Set(explicit);
  return actions.map((a) => {
    let key = a.key ?? null;
    if (key === null) {
      const base = slugifyKey(a.buttonText, LIMITS.actionKey - 4);
      key = base;
      for (let n = 2; used.has(key); n++) key = `${base}_${n}`;
      used.add(key);
    }
    return {
      key,
      buttonText: a.buttonText,
      url: a.url ?? '',
      external: a.external ?? false,
      reply: a.reply ?? false,
      input: a.input ? { label: a.input.label, required: a.input.required ?? false, maxLength: a.input.maxLength ?? INPUT_MAX } : null,
      resolves: a.resolves ?? false,
      expireIn: a.expireIn ?? LIMITS.expireInDefault,
      meta: (a.meta ?? null) as JsonValue,
      repeat: a.repeat ?? false,
      type: a.type ?? null,
      role: a.role ?? null,
      risk: riskOf(a.risk, a.type),
      confirmText: a.confirmText?.trim() ?? null,
    };
  });
}

/** Validates and normalises a parsed JSON body. Never throws. */
export function parseIngestBody(body: unknown): IngestResult {
  const parsed = eventSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, problem: { field: formatPath(issue.path), message: issue.message } };
  }
  const input = parsed.data;
  try {
    const type = input.type ?? 'text';
    // Before and after normalising: a string holding JSON can nest as deep as an object.
    if (nestedDeeperThan(input.content, LIMITS.jsonDepth)) throw new FieldError('content', TOO_DEEP);
    const content = normalizeContent(type, input.content);
    if (content !== input.content && nestedDeeperThan(content, LIMITS.jsonDepth)) throw new FieldError('content', TOO_DEEP);
    if (content !== null && utf8Bytes(JSON.stringify(content)) > LIMITS.contentBytes) {
      throw new FieldError('content', `must be at most ${LIMITS.contentBytes} bytes serialized`);
    }
    const name = input.name == null || input.name.trim() === '' ? null : input.name;
    if (name === null && content === null) throw new FieldError('name', 'is required unless content is given');
    const event: NormalizedEvent = {
      name,
      avatar: normalizeAvatar(input.avatar),
      type: type === 'map' ? 'text' : type,
      content,
      category: input.category?.trim() || null,
      notify: input.notify ?? false,
      test: input.test ?? false,
      contextId: input.contextId ?? null,
      contextStart: input.contextStart ?? false,
      userId: input.userId ?? null,
      actions: normalizeActions(input.actions ?? []),
      replyUrl: input.replyUrl ?? null,
      dedupKey: input.dedupKey ?? null,
      state: input.state ?? 'open',
      urgent: input.urgent ?? false,
    };
    if (event.state === 'resolved' && event.dedupKey === null) {
      throw new FieldError('state', 'only "resolved" with a dedupKey: it resolves the open event with that key');
    }
    if (event.replyUrl !== null && !event.actions.some((a) => a.reply)) {
      throw new FieldError('replyUrl', 'only an event with reply actions ("reply": true) has a decision to send');
    }
    const warnings = Object.keys(body as object)
      .filter((k) => !KNOWN_FIELDS.has(k))
      .map((k) => `unknown field "${k}" was ignored`);
    return { ok: true, event, warnings };
  } catch (err) {
    if (err instanceof FieldError) return { ok: false, problem: { field: err.field, message: err.message } };
    throw err;
  }
}

/** The text/plain shortcut: the body is the name; a leading emoji becomes the avatar. */
export function parsePlainTextBody(text: string): IngestResult {
  const trimmed = text.trim();
  const parts = graphemes(trimmed);
  const first = parts[0];
  if (first !== undefined && isEmoji(first) && parts.length > 1) {
    const rest = parts.slice(1).join('').trim();
    return parseIngestBody({ avatar: first, name: rest === '' ? first : rest });
  }
  return parseIngestBody({ name: trimmed });
}
