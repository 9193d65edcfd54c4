/**
 * The MCP server (CONTRACT §11) as an agent meets it: a real server process, called through the
 * official SDK's own client over Streamable HTTP with an API key. The tools and their JSON Schemas,
 * an event sent, a mistake named as the ingest API names it, a question asked and answered by a person
 * pressing on it, another project's event not found, and no key no entry.
 */
import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, FeedPage } from '../contract/api.ts';
import type { DecisionDto } from '../contract/decisions.ts';
import { createApiKey } from '../server/auth/apiKeys.ts';
import { hashPassword } from '../server/auth/passwords.ts';
import { DEFAULT_PROJECT_ID } from '../server/store/records.ts';
import { sqliteAppStore } from '../server/store/sqlite/appStore.ts';
import { openStore } from '../server/store/sqlite/index.ts';
import { type ServerProcess, spawnServer } from './fixtures/serverProcess.ts';
import { tempDir } from './helpers.ts';

const EMAIL = 'agent-owner@example.com';
const PASSWORD = 'a person answers the agent';
const METRICS = 'mcp-test-metrics-token';

let dir: string;
let server: ServerProcess;
let key: string;
let otherKey: string;
let cookie: string;
let client: Client;
/** A question nobody answers (the test of waitSeconds 0 asks it). */
let unanswered: string;

async function connect(apiKey: string): Promise<Client> {
  const made = new Client({ name: 'switchboard-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${apiKey}` } } });
  await made.connect(transport);
  return made;
}

const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
const text = (result: CallToolResult) => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
/** A tool's answer: its structured content, which its text repeats as JSON. */
function answer<T>(result: CallToolResult): T {
  expect(result.isError ?? false, text(result)).toBe(false);
  expect(JSON.parse(text(result))).toEqual(result.structuredContent);
  return result.structuredContent as T;
}

async function session<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { cookie, origin: server.url, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

beforeAll(async () => {
  dir = tempDir();
  const sqlite = openStore(dir);
  const store = sqliteAppStore(sqlite);
  await store.users.create(EMAIL, await hashPassword(PASSWORD), 'owner', Date.now());
  key = (await createApiKey(store, DEFAULT_PROJECT_ID, 'agent', null, Date.now())).key;
  const other = (await store.projects.create('elsewhere', 'Elsewhere', Date.now()))!;
  otherKey = (await createApiKey(store, other.id, 'elsewhere', null, Date.now())).key;
  sqlite.close();
  server = await spawnServer(dir, 0, { DIST_DIR: '/nonexistent', METRICS_TOKEN: METRICS });
  const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  expect(signIn.status).toBe(200);
  cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  client = await connect(key);
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the MCP server at /mcp', () => {
  it('lists send_event, ask and get_decision with JSON Schemas made from the ingest contract', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['ask', 'get_decision', 'send_event']);
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    type Schema = { type?: string; properties?: Record<string, Schema>; anyOf?: Schema[]; items?: Schema; required?: string[]; maximum?: number; maxItems?: number };
    const sendEvent = byName.send_event!.inputSchema as Schema;
    expect(sendEvent.type).toBe('object');
    expect(Object.keys(sendEvent.properties!)).toEqual(expect.arrayContaining(['name', 'avatar', 'type', 'content', 'category', 'notify', 'actions', 'replyUrl']));
    const actions = sendEvent.properties!.actions!.anyOf!.find((s) => s.type === 'array')!;
    expect(actions.maxItems).toBe(10);
    expect(Object.keys(actions.items!.properties!)).toEqual(expect.arrayContaining(['url', 'buttonText', 'key', 'reply', 'input', 'expireIn', 'risk']));

    const ask = byName.ask!.inputSchema as Schema;
    expect(ask.required?.sort()).toEqual(['options', 'question']);
    expect(Object.keys(ask.properties!).sort()).toEqual(['expireIn', 'inputLabel', 'options', 'question', 'waitSeconds']);
    const option = ask.properties!.options!.items!;
    expect(option.anyOf!.map((s) => s.type).sort()).toEqual(['object', 'string']);
    expect(Object.keys(option.anyOf!.find((s) => s.type === 'object')!.properties!).sort()).toEqual(['buttonText', 'key', 'risk']);
    expect(ask.properties!.waitSeconds!.maximum).toBe(60);

    const getDecision = byName.get_decision!.inputSchema as Schema;
    expect(getDecision.required).toEqual(['id']);
    expect(byName.get_decision!.annotations?.readOnlyHint).toBe(true);
    expect(Object.keys((byName.ask!.outputSchema as Schema).properties!).sort()).toEqual(['buttonText', 'decidedAt', 'decidedBy', 'expiresAt', 'id', 'input', 'key', 'status']);
  });

  it('send_event writes an event in the key’s project, sent by the key, as POST /api/v1/log would', async () => {
    const sent = answer<{ id: string; createdAt: string; warnings?: string[] }>(
      await call('send_event', { name: 'Nightly backup done', avatar: '💾', category: 'ops', type: 'rows', content: [{ label: 'size', content: '3 GB' }], colour: 'blue' }),
    );
    expect(sent.warnings).toEqual(['unknown field "colour" was ignored']);
    const { status, body } = await session<EventDetail>(`/api/events/${sent.id}`);
    expect(status).toBe(200);
    expect(body.event).toMatchObject({ name: 'Nightly backup done', avatar: '💾', category: 'ops', type: 'rows', content: [{ label: 'size', type: 'text', content: '3 GB' }] });
    expect(body.sentBy?.name).toBe('agent');
    // It asks nothing: there is no decision to read.
    const none = await call('get_decision', { id: sent.id });
    expect(none.isError).toBe(true);
    expect(text(none)).toMatch(/^no_question: /);
  });

  it('answers a mistake as a tool error naming the field as the ingest API does, and writes nothing', async () => {
    const before = (await session<FeedPage>('/api/events?limit=100')).body.events.length;
    const badUrl = await call('send_event', { name: 'x', actions: [{ buttonText: 'Go', url: 'not a url' }] });
    expect(badUrl.isError).toBe(true);
    expect(text(badUrl)).toBe('invalid_field: actions[0].url: must be an absolute http: or https: URL');
    const noUrl = await call('send_event', { name: 'x', actions: [{ buttonText: 'Go' }] });
    expect(text(noUrl)).toMatch(/^invalid_field: actions\[0\]\.url: is required/);
    const noOptions = await call('ask', { question: 'Deploy?', options: [] });
    expect(noOptions.isError).toBe(true);
    expect(text(noOptions)).toBe('invalid_field: options: must hold at least one answer option');
    const longOption = await call('ask', { question: 'Deploy?', options: ['Yes', 'x'.repeat(49)] });
    expect(text(longOption)).toBe('invalid_field: options[1].buttonText: must be at most 48 characters');
    const sameKey = await call('ask', { question: 'Deploy?', options: [{ key: 'go', buttonText: 'Go' }, { key: 'go', buttonText: 'Go now' }] });
    expect(text(sameKey)).toBe('invalid_field: options[1].key: must be unique within the event');
    const tooLong = await call('get_decision', { id: 'anything', waitSeconds: 61 });
    expect(text(tooLong)).toBe('invalid_field: waitSeconds: must be a whole number of seconds from 0 to 60');
    const unknown = await call('ask', { question: 'Deploy?', options: ['Yes'], colour: 'blue' });
    expect(text(unknown)).toBe('invalid_field: the tool has no argument colour');
    expect((await session<FeedPage>('/api/events?limit=100')).body.events.length).toBe(before);
  });

  it('ask with waitSeconds 0 answers pending with the id of a pushed event of reply buttons', async () => {
    const decision = answer<DecisionDto>(await call('ask', { question: 'Rotate the database password?', options: ['Rotate', 'Not now'], expireIn: 30, waitSeconds: 0 }));
    expect(decision).toMatchObject({ status: 'pending', key: null, input: null, decidedBy: null, decidedAt: null });
    expect(Date.parse(decision.expiresAt!) - Date.now()).toBeGreaterThan(25 * 60_000);
    const { body } = await session<EventDetail>(`/api/events/${decision.id}`);
    expect(body.event.name).toBe('Rotate the database password?');
    expect(body.event.notify).toBe(true);
    expect(body.event.actions.map((a) => [a.key, a.buttonText, a.reply])).toEqual([
      ['rotate', 'Rotate', true],
      ['not_now', 'Not now', true],
    ]);
    // Read back with get_decision: still pending.
    expect(answer<DecisionDto>(await call('get_decision', { id: decision.id }))).toEqual(decision);
    unanswered = decision.id;
  });

  it('ask waits for the answer: a member presses "Ship it" with a reason, and the call answers decided', async () => {
    const question = `Deploy 2.0 to production? (${Date.now()})`;
    const asking = call('ask', {
      question,
      options: [{ key: 'ship', buttonText: 'Ship it', risk: 'low' }, 'Hold'],
      inputLabel: 'Why?',
      waitSeconds: 20,
    });
    // The person finds the question in the feed and presses.
    let id: string | undefined;
    for (let i = 0; i < 200 && !id; i++) {
      const { body } = await session<FeedPage>(`/api/events?q=${encodeURIComponent('Deploy 2.0')}`);
      id = body.events.find((e) => e.name === question)?.id;
      if (!id) await new Promise((r) => setTimeout(r, 50));
    }
    expect(id).toBeDefined();
    const press = await session<{ action: { state: string } }>(`/api/events/${id}/actions/ship/trigger`, { method: 'POST', body: { input: 'canary is green' } });
    expect(press.status).toBe(200);
    const decided = answer<DecisionDto>(await asking);
    expect(decided).toMatchObject({ id, status: 'decided', key: 'ship', buttonText: 'Ship it', input: 'canary is green', decidedBy: { email: EMAIL } });
    expect(decided.decidedAt).not.toBeNull();
    expect(answer<DecisionDto>(await call('get_decision', { id: id!, waitSeconds: 5 }))).toEqual(decided);
  });

  it('ends a wait as soon as its client hangs up', async () => {
    const waits = async () => {
      const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS}` } });
      return Number(/^switchboard_decision_waits (\d+)$/m.exec(await res.text())?.[1]);
    };
    const until = async (n: number) => {
      for (let i = 0; i < 100 && (await waits()) !== n; i++) await new Promise((r) => setTimeout(r, 50));
      return waits();
    };
    expect(await waits()).toBe(0);
    const hangUp = new AbortController();
    const waiting = fetch(`${server.url}/mcp`, {
      method: 'POST',
      signal: hangUp.signal,
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${key}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'get_decision', arguments: { id: unanswered, waitSeconds: 60 } } }),
    });
    expect(await until(1)).toBe(1);
    hangUp.abort();
    await expect(waiting).rejects.toThrow();
    expect(await until(0)).toBe(0);
  });

  it('get_decision on another project’s event is not found, as if it did not exist', async () => {
    const res = await fetch(`${server.url}/api/v1/log`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${otherKey}` },
      body: JSON.stringify({ name: 'Elsewhere asks', actions: [{ buttonText: 'Yes', reply: true }] }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const foreign = await call('get_decision', { id, waitSeconds: 0 });
    expect(foreign.isError).toBe(true);
    expect(text(foreign)).toBe('not_found: no such event');
    // The other project's own key reads it.
    const theirs = await connect(otherKey);
    try {
      expect(((await theirs.callTool({ name: 'get_decision', arguments: { id } })) as CallToolResult).structuredContent).toMatchObject({ id, status: 'pending' });
    } finally {
      await theirs.close();
    }
  });

  it('lets nobody in without a key (401), and answers GET and DELETE 405: it is stateless', async () => {
    const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const anonymous = await fetch(`${server.url}/mcp`, { method: 'POST', headers, body: initialize });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('missing_api_key');
    const wrong = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { ...headers, authorization: 'Bearer sb_not_a_key' }, body: initialize });
    expect(wrong.status).toBe(401);
    await expect(connect('sb_not_a_key')).rejects.toThrow(/invalid_api_key/);
    // The same request with the key is answered.
    const allowed = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${key}` }, body: initialize });
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as { result: { serverInfo: { name: string } } }).result.serverInfo.name).toBe('switchboard');
    expect(allowed.headers.get('access-control-allow-origin')).toBeNull();
    // Without the Accept the transport needs: 406, in the server's error shape.
    const noAccept = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: initialize });
    expect(noAccept.status).toBe(406);
    expect(((await noAccept.json()) as { error: { code: string } }).error.code).toBe('not_acceptable');
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(`${server.url}/mcp`, { method, headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' } });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow'), method).toBe('POST');
      expect(((await res.json()) as { error: { code: string } }).error.code, method).toBe('method_not_allowed');
    }
  });
});
