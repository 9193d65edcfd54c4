/**
 * The MCP tools (CONTRACT §11): `send_event`, `ask` and `get_decision`, for an agent holding an API
 * key. Their schemas are made from the ingest contract (contract/ingest.ts, contract/decisions.ts), so
 * a limit changed there changes here; their arguments are checked by the same code as POST
 * /api/v1/log's body, so a mistake reads as it does there (`actions[0].url: must be …`), as a tool
 * error, never a protocol error. An agent's question is an event in the key's project like any other:
 * written by the same writer, pushed, shown and audited.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { IngestAccepted } from '../../contract/api.ts';
import { DECISION_STATUSES, type DecisionDto, WAIT_MAX_SECONDS } from '../../contract/decisions.ts';
import { actionSchema, eventSchema, formatPath, type IngestProblem, parseIngestBody } from '../../contract/ingest.ts';
import { LIMITS } from '../../contract/limits.ts';
import { type DecisionDeps, readDecision } from '../decisions/read.ts';
import { ApiError } from '../http/errors.ts';
import type { ingestWriter } from '../ingest/writer.ts';
import { isStoreUnavailable } from '../store/unavailable.ts';
import { VERSION } from '../version.ts';

export interface ToolDeps extends DecisionDeps {
  /** The ingest writer (server/ingest/writer.ts): the same one POST /api/v1/log uses. */
  writer: Pick<ReturnType<typeof ingestWriter>, 'submit'>;
}

/** Who calls, from the API key the request was authenticated with. */
export interface ToolCaller {
  projectId: number;
  keyId: string;
  /** Aborted when the HTTP request's client goes away: a wait ends at once. */
  signal: AbortSignal;
  log: FastifyBaseLogger;
}

// ---------------------------------------------------------------------------------------------
// Schemas. Each tool's arguments are checked here (`safeParse`, the first problem named by its
// path); the SDK is given the JSON Schema of the same zod schema (`describedBy` below).

const WAIT_PROBLEM = `must be a whole number of seconds from 0 to ${WAIT_MAX_SECONDS}`;
const waitSeconds = z.number({ error: WAIT_PROBLEM }).int({ error: WAIT_PROBLEM }).min(0, { error: WAIT_PROBLEM }).max(WAIT_MAX_SECONDS, { error: WAIT_PROBLEM });

const { key: optionKey, buttonText, risk, expireIn, input } = actionSchema.shape;
/** An answer option: the action fields an option may set (a reply action's `key`, `buttonText`, `risk`). */
const optionObject = z.strictObject(
  { key: optionKey, buttonText, risk },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `has no field ${issue.keys.join(', ')} (an option is {"key", "buttonText", "risk"})` : 'must be a string (the button text) or an object {"key", "buttonText", "risk"}') },
);
/** An unknown argument is named; anything else that is not an object is not arguments. */
const notArguments = (issue: { code?: string; keys?: string[] }) =>
  issue.code === 'unrecognized_keys' ? `the tool has no argument ${issue.keys?.join(', ')}` : 'the arguments must be an object';

/** What the JSON Schema says an option is: a string or the object. */
const optionShown = z.union([buttonText, optionObject]);
/** What is checked: a string is the object's buttonText, so its problems name `options[0].buttonText`. */
const optionChecked = z.preprocess((v) => (typeof v === 'string' ? { buttonText: v } : v), optionObject);

const askFields = <O extends z.ZodType>(option: O) =>
  z.strictObject(
    {
      // The event's name, with its limit.
      question: z
        .string({ error: 'is required and must be a string' })
        .max(LIMITS.name, { error: `must be at most ${LIMITS.name} characters` })
        .refine((v) => v.trim() !== '', { error: 'must not be empty' })
        .describe('The question, as the event’s name: what the person sees, and is asked to decide.'),
      options: z
        .array(option, { error: 'must be an array of answer options' })
        .min(1, { error: 'must hold at least one answer option' })
        .max(LIMITS.actions, { error: `must hold at most ${LIMITS.actions} answer options` })
        .describe('The answers, as buttons: a string (the button text; its key is made from it) or {key, buttonText, risk}.'),
      expireIn: expireIn.describe(`Minutes the question takes answers (${LIMITS.expireInMin} to ${LIMITS.expireInMax}; default ${LIMITS.expireInDefault}). After that it is expired, never answered.`),
      inputLabel: input
        .unwrap()
        .unwrap()
        .shape.label.optional()
        .describe('Asks the person for a line of text with their answer, under this label (optional for them).'),
      waitSeconds: waitSeconds.optional().describe(`Seconds to wait for the answer (0 to ${WAIT_MAX_SECONDS}; default 0: answer at once).`),
    },
    { error: notArguments },
  );
const askShown = askFields(optionShown);
const askChecked = askFields(optionChecked);

const getDecisionChecked = z.strictObject(
  {
    id: z
      .string({ error: 'is required and must be a string' })
      .min(1, { error: 'must not be empty' })
      .max(200, { error: 'must be at most 200 characters' })
      .describe('The id of the event that asks (what ask or send_event answered).'),
    waitSeconds: waitSeconds.optional().describe(`Seconds to wait for the answer (0 to ${WAIT_MAX_SECONDS}; default 0: answer at once).`),
  },
  { error: notArguments },
);

/**
 * A tool's input schema for the SDK: the JSON Schema of `schema` (zod's metadata is merged into
 * it), on a schema that lets any object through. The SDK would otherwise check the arguments first
 * and answer its own wording; the handler checks them with `schema` (or parseIngestBody).
 */
function describedBy(schema: z.ZodType) {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', target: 'draft-7' });
  return z.looseObject({}).meta(json);
}

const person = z.object({ id: z.string(), email: z.string(), name: z.string() });
/** DecisionDto as a schema: every field of it, no other (checked by the compiler both ways). */
const decisionOutput = z.object({
  id: z.string(),
  status: z.enum(DECISION_STATUSES),
  key: z.string().nullable(),
  buttonText: z.string().nullable(),
  input: z.string().nullable(),
  decidedBy: person.nullable(),
  decidedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
} satisfies Record<keyof DecisionDto, z.ZodType>) satisfies z.ZodType<DecisionDto>;
const acceptedOutput = z.object({
  id: z.string(),
  createdAt: z.string(),
  deduplicated: z.literal(true).optional(),
  warnings: z.array(z.string()).optional(),
} satisfies Record<keyof IngestAccepted, z.ZodType>) satisfies z.ZodType<IngestAccepted>;

// ---------------------------------------------------------------------------------------------
// Answers.

class ToolProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A field at fault, worded as the ingest API words it. */
const invalid = (problem: IngestProblem) => new ToolProblem('invalid_field', problem.field ? `${problem.field}: ${problem.message}` : problem.message);

function firstIssue(error: z.ZodError): IngestProblem {
  const issue = error.issues[0]!;
  return { field: formatPath(issue.path), message: issue.message };
}

const answer = (value: DecisionDto | IngestAccepted): CallToolResult => ({
  content: [{ type: 'text', text: JSON.stringify(value) }],
  structuredContent: { ...value },
});

/** Runs a tool: its answer, or a tool error (`isError`) saying `code: message` — never a protocol error. */
async function run(caller: ToolCaller, tool: string, work: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work();
  } catch (err) {
    let code = 'internal_error';
    let message = 'something went wrong on the server';
    if (err instanceof ToolProblem || err instanceof ApiError) {
      code = err.code;
      message = err.message;
    } else if (isStoreUnavailable(err)) {
      code = 'store_unavailable';
      message = 'the database cannot be reached right now: try again shortly';
      caller.log.warn({ err: (err as Error).message, tool }, 'store unavailable');
    } else {
      caller.log.error({ err, tool }, 'MCP tool failed');
    }
    return { isError: true, content: [{ type: 'text', text: `${code}: ${message}` }] };
  }
}

// ---------------------------------------------------------------------------------------------
// The tools.

/** Validates and writes an ingest body in the caller's project, as POST /api/v1/log does. */
async function send(deps: ToolDeps, caller: ToolCaller, body: unknown, field: (f: string | null) => string | null = (f) => f) {
  const parsed = parseIngestBody(body);
  if (!parsed.ok) throw invalid({ field: field(parsed.problem.field), message: parsed.problem.message });
  const { answer: accepted } = await deps.writer.submit({
    event: parsed.event,
    warnings: parsed.warnings,
    apiKeyId: caller.keyId,
    projectId: caller.projectId,
    idempotencyKey: null,
    createdAt: deps.now(),
  });
  return accepted;
}

/** The fields of the event `ask` makes, named as `ask`'s arguments (`actions[1].key` → `options[1].key`). */
const askField = (field: string | null) =>
  field === null
    ? null
    : field
        .replace(/^name$/, 'question')
        .replace(/^actions\[\d+\]\.input\.label$/, 'inputLabel')
        .replace(/^actions\[\d+\]\.expireIn$/, 'expireIn')
        .replace(/^actions/, 'options');

async function waitFor(deps: ToolDeps, caller: ToolCaller, eventId: string, seconds: number): Promise<DecisionDto> {
  return readDecision(deps, { projectId: caller.projectId, eventId, waitSeconds: seconds, keyId: caller.keyId, signal: caller.signal });
}

const INSTRUCTIONS = [
  'Switchboard shows events to a team on their phones and records who pressed what.',
  'send_event posts an event (the same fields as POST /api/v1/log).',
  'ask posts a question with answer options, pushed to the team, and answers its decision: pending, decided (the key chosen, the text typed, who and when) or expired.',
  `A call waits at most ${WAIT_MAX_SECONDS} seconds: while the decision is pending, call get_decision with its id again. Expired is never an answer: do not act on it as if someone had agreed.`,
].join(' ');

/** A server with the three tools, for one request of one API key (the transport is stateless). */
export function mcpServer(deps: ToolDeps, caller: ToolCaller): McpServer {
  const server = new McpServer({ name: 'switchboard', title: 'Switchboard', version: VERSION }, { instructions: INSTRUCTIONS });

  server.registerTool(
    'send_event',
    {
      title: 'Send an event',
      description:
        'Posts an event to the API key’s project, as POST /api/v1/log: name, avatar (an emoji), type and content, category, notify (push it), ' +
        'contextId/contextStart (threads), userId, actions (buttons; "reply": true makes an answer option, read back with get_decision), replyUrl. ' +
        'Answers {id, createdAt, warnings?}.',
      inputSchema: describedBy(eventSchema),
      outputSchema: acceptedOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async (args) => run(caller, 'send_event', async () => answer(await send(deps, caller, args))),
  );

  server.registerTool(
    'ask',
    {
      title: 'Ask the team',
      description:
        'Asks the people of the API key’s project a question with answer options: an event with a push notification, one reply button per option. ' +
        `Waits up to waitSeconds (≤ ${WAIT_MAX_SECONDS}) for the answer and answers the decision: {id, status: pending|decided|expired, key, buttonText, input, decidedBy, decidedAt, expiresAt}. ` +
        'While it is pending, call get_decision with the id. Expired means nobody answered: never treat it as a yes.',
      inputSchema: describedBy(askShown),
      outputSchema: decisionOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async (args) =>
      run(caller, 'ask', async () => {
        const parsed = askChecked.safeParse(args);
        if (!parsed.success) throw invalid(firstIssue(parsed.error));
        const { question, options, expireIn: minutes, inputLabel, waitSeconds: seconds } = parsed.data;
        const body = {
          name: question,
          notify: true,
          actions: options.map((o) => ({
            key: o.key ?? undefined,
            buttonText: o.buttonText,
            risk: o.risk ?? undefined,
            reply: true,
            expireIn: minutes ?? undefined,
            input: inputLabel ? { label: inputLabel } : undefined,
          })),
        };
        const { id } = await send(deps, caller, body, askField);
        try {
          return answer(await waitFor(deps, caller, id, seconds ?? 0));
        } catch (err) {
          // The question is asked: its id is the answer even when no wait is free (429 too_many_waits).
          if (err instanceof ApiError && err.code === 'too_many_waits') return answer(await waitFor(deps, caller, id, 0));
          throw err;
        }
      }),
  );

  server.registerTool(
    'get_decision',
    {
      title: 'Read a decision',
      description:
        `Reads the decision of an event that asks (reply actions), at once or waiting up to waitSeconds (≤ ${WAIT_MAX_SECONDS}) for it. ` +
        'Answers {id, status: pending|decided|expired, key, buttonText, input, decidedBy, decidedAt, expiresAt}. Only events of the API key’s project.',
      inputSchema: describedBy(getDecisionChecked),
      outputSchema: decisionOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async (args) =>
      run(caller, 'get_decision', async () => {
        const parsed = getDecisionChecked.safeParse(args);
        if (!parsed.success) throw invalid(firstIssue(parsed.error));
        return answer(await waitFor(deps, caller, parsed.data.id, parsed.data.waitSeconds ?? 0));
      }),
  );

  return server;
}
