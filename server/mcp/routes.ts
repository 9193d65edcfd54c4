/**
 * POST /mcp: a Model Context Protocol server (Streamable HTTP transport, stateless) for agents holding
 * an API key (CONTRACT §11). Each request is authenticated as the ingest API's are — the key's
 * project, its rate limit — and gets a server of its own with the tools of ./tools.ts. GET and DELETE
 * answer 405: there is no session to stream on or to end. Registered in the API-key context.
 */
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LIMITS } from '../../contract/limits.ts';
import { API_KEY, doc } from '../http/access.ts';
import { ApiError } from '../http/errors.ts';
import { mcpServer, type ToolDeps } from './tools.ts';

export interface McpDeps extends ToolDeps {
  /** The ingest API's key check (server/ingest/routes.ts): 401 without a valid key, 429 over its rate. */
  authenticate: (request: FastifyRequest) => Promise<void>;
}

/** The request headers the transport reads; nothing else (the key above all) goes into it. */
const FORWARDED = ['accept', 'content-type', 'mcp-protocol-version', 'mcp-session-id', 'last-event-id'];

/** The request as the SDK's web-standard transport takes it (its body is passed parsed). */
function webRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const name of FORWARDED) {
    for (const value of [request.headers[name] ?? []].flat()) {
      try {
        headers.append(name, value);
      } catch {
        // A value fetch's Headers refuses is left out: the transport then answers 406 or 415.
      }
    }
  }
  return new Request(new URL(request.url, 'http://mcp.invalid'), { method: request.method, headers });
}

/** The codes of this server's errors for the transport's HTTP-level refusals. */
const CODES: Record<number, string> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** A refusal of the transport (a JSON-RPC error without id), in this server's error shape. */
async function refusal(response: Response): Promise<ApiError> {
  let message = `the MCP request was refused (${response.status})`;
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string' && body.error.message !== '') message = body.error.message;
  } catch {
    // Not JSON: the status says it.
  }
  return new ApiError(response.status, CODES[response.status] ?? 'bad_request', message);
}

export function mcpRoutes(app: FastifyInstance, deps: McpDeps) {
  app.post(
    '/mcp',
    doc(
      { ...API_KEY, bodyLimit: LIMITS.bodyBytes, onRequest: deps.authenticate },
      { tag: 'Agents', summary: 'The MCP server for agents (Streamable HTTP, JSON-RPC): tools send_event, ask, get_decision (docs/mcp.md)' },
    ),
    async (request, reply) => {
      // A client that hangs up ends the tool's wait at once (as on GET /api/v1/events/:id/decision).
      const gone = new AbortController();
      const onClose = () => gone.abort();
      reply.raw.once('close', onClose);
      const server = mcpServer(deps, { projectId: request.apiKeyProject!, keyId: request.apiKeyId!, signal: gone.signal, log: request.log });
      // Stateless: a transport per request, answering JSON (no stream to hold open).
      const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      try {
        await server.connect(transport);
        const response = await transport.handleRequest(webRequest(request), { parsedBody: request.body });
        if (response.status >= 400) throw await refusal(response);
        reply.code(response.status);
        const type = response.headers.get('content-type');
        if (type) reply.type(type);
        const text = await response.text();
        return reply.send(text === '' ? undefined : text);
      } finally {
        reply.raw.off('close', onClose);
        await server.close();
      }
    },
  );

  const stateless = async () => {
    throw new ApiError(405, 'method_not_allowed', 'this MCP server is stateless: send each JSON-RPC message with POST /mcp (no session, no event stream)', null, {
      allow: 'POST',
    });
  };
  app.get('/mcp', doc(API_KEY, { tag: 'Agents', summary: 'Answers 405: the MCP server is stateless (no event stream to open)' }), stateless);
  app.delete('/mcp', doc(API_KEY, { tag: 'Agents', summary: 'Answers 405: the MCP server is stateless (no session to end)' }), stateless);
}
