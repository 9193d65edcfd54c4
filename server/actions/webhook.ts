/**
 * Sends one signed webhook POST and reports what happened. It never throws and never logs: every
 * outcome, including a bug-shaped one, comes back as a WebhookResult for the caller to record.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { type ClientRequest, type IncomingMessage, request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';
import { forbiddenReason } from './destination.ts';

export interface WebhookRequest {
  url: string; // absolute http(s) URL
  body: string; // the JSON payload, already serialized
  webhookId: string; // Standard Webhooks `webhook-id` (the attempt id)
  timestamp: Date; // `webhook-timestamp` (seconds)
  secret: string; // 'whsec_…' installation secret
  timeoutMs: number; // whole exchange: DNS + connect + response
  allowPrivate: boolean; // WEBHOOK_ALLOW_PRIVATE
  userAgent: string; // e.g. 'Switchboard/0.1.0'
}

export type WebhookReason =
  | 'timeout'
  | 'connection_refused'
  | 'connection_reset'
  | 'dns'
  | 'blocked_by_policy'
  | 'tls'
  | 'invalid_url'
  | 'connection_error'
  | `http_${number}`;

export interface WebhookResult {
  ok: boolean; // true only for HTTP 200 or 201
  status: number | null; // HTTP status when one came back
  reason: WebhookReason | null; // null when ok
  durationMs: number;
  responseExcerpt: string; // first 1 KiB of the response body (utf8, cut safely), '' if none
  remoteAddress: string | null; // the IP actually connected to
}

export const EXCERPT_BYTES = 1024;

/** Operational treats exactly these as success; a 202 or 204 means the receiver did not act (yet). */
const SUCCESS = new Set([200, 201]);

/** Cuts at most `max` bytes without splitting a UTF-8 sequence, so the stored excerpt has no U+FFFD tail. */
export function utf8Excerpt(buf: Buffer, max = EXCERPT_BYTES): string {
  if (buf.length <= max) return buf.toString('utf8');
  let end = max;
  // A continuation byte (10xxxxxx) right after the cut means the cut splits a character: back up to its start.
  for (let i = 0; i < 3 && end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80; i++) end--;
  return buf.subarray(0, end).toString('utf8');
}

function errorReason(err: unknown): WebhookReason {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection_refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connection_reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NODATA':
    case 'EAI_NONAME':
      return 'dns';
  }
  // OpenSSL verify codes (DEPTH_ZERO_SELF_SIGNED_CERT, UNABLE_TO_VERIFY_LEAF_SIGNATURE…) have no common
  // prefix; handshake failures surface as EPROTO or ERR_SSL_*, Node's own checks as ERR_TLS_*.
  if (/CERT|^UNABLE_TO_|^ERR_(TLS|SSL)_|^(EPROTO|HOSTNAME_MISMATCH|INVALID_CA|INVALID_PURPOSE)$/.test(code)) {
    return 'tls';
  }
  return 'connection_error';
}

/** Node resolves hostnames through this, so the policy sees the very address the socket will use. */
function guardedLookup(onBlocked: () => void): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, options, (err, address: string | LookupAddress[], family?: number) => {
      if (err) return callback(err, address, family);
      // Happy-eyeballs asks for every address at once; refusing if any is forbidden keeps the
      // outcome independent of which one would have won the race.
      const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
      if (addresses.some((a) => forbiddenReason(a) !== null)) {
        onBlocked();
        const blocked = Object.assign(new Error(`${hostname} resolves to a forbidden address`), {
          code: 'EBLOCKED',
        });
        return callback(blocked, address, family);
      }
      callback(null, address, family);
    });
  };
}

export async function sendWebhook(req: WebhookRequest): Promise<WebhookResult> {
  const started = performance.now();
  const result = (
    reason: WebhookReason | null,
    extra: Partial<Pick<WebhookResult, 'status' | 'responseExcerpt' | 'remoteAddress'>> = {},
  ): WebhookResult => ({
    ok: reason === null,
    status: extra.status ?? null,
    reason,
    durationMs: Math.round(performance.now() - started),
    responseExcerpt: extra.responseExcerpt ?? '',
    remoteAddress: extra.remoteAddress ?? null,
  });

  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return result('invalid_url');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return result('invalid_url');

  // URL keeps IPv6 literals bracketed; Node wants them bare, and skips `lookup` for any literal,
  // so literals get the policy check here instead.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(host) !== 0 && !req.allowPrivate && forbiddenReason(host) !== null) return result('blocked_by_policy');

  let headers: Record<string, string>;
  try {
    headers = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(req.body)),
      'user-agent': req.userAgent,
      'webhook-id': req.webhookId,
      'webhook-timestamp': String(Math.floor(req.timestamp.getTime() / 1000)),
      'webhook-signature': new Webhook(req.secret).sign(req.webhookId, req.timestamp, req.body),
    };
  } catch {
    // Only an unusable secret gets here; the reason set has no better name for a local fault.
    return result('connection_error');
  }

  return new Promise<WebhookResult>((resolve) => {
    let settled = false;
    let blocked = false;
    let remoteAddress: string | null = null;
    let status: number | null = null;
    const chunks: Buffer[] = [];
    let received = 0;
    let outgoing: ClientRequest | undefined;
    let response: IncomingMessage | undefined;

    const excerpt = () => utf8Excerpt(Buffer.concat(chunks));
    const statusReason = (s: number): WebhookReason | null => (SUCCESS.has(s) ? null : `http_${s}`);

    const finish = (r: WebhookResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Tearing the socket down is what stops a receiver that would keep streaming at us.
      response?.destroy();
      outgoing?.destroy();
      resolve(r);
    };

    // Once the status is in, the receiver has answered; a body still trickling at the deadline only
    // shortens the excerpt, it does not turn a 200 into a timeout.
    const timer = setTimeout(() => {
      if (status !== null) finish(result(statusReason(status), { status, responseExcerpt: excerpt(), remoteAddress }));
      else finish(result('timeout', { remoteAddress }));
    }, req.timeoutMs);

    const options: RequestOptions = {
      method: 'POST',
      protocol: url.protocol,
      hostname: host,
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers,
      agent: false,
      lookup: req.allowPrivate
        ? undefined
        : guardedLookup(() => {
            blocked = true;
          }),
      auth: url.username === '' ? undefined : `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`,
    };

    try {
      outgoing = (url.protocol === 'https:' ? httpsRequest : httpRequest)(options);
    } catch (err) {
      finish(result(errorReason(err)));
      return;
    }

    outgoing.on('socket', (socket) => {
      socket.once('connect', () => {
        remoteAddress = socket.remoteAddress ?? null;
      });
    });

    outgoing.on('error', (err) => {
      if (blocked) return finish(result('blocked_by_policy'));
      if (status !== null) {
        return finish(result(statusReason(status), { status, responseExcerpt: excerpt(), remoteAddress }));
      }
      finish(result(errorReason(err), { remoteAddress }));
    });

    // No 'redirect' handling on purpose: node:http never follows Location, so a 302 is just a status.
    outgoing.on('response', (res) => {
      response = res;
      status = res.statusCode ?? 0;
      remoteAddress = res.socket?.remoteAddress ?? remoteAddress;
      const done = () => finish(result(statusReason(status ?? 0), { status, responseExcerpt: excerpt(), remoteAddress }));
      res.on('data', (chunk: Buffer) => {
        if (received >= EXCERPT_BYTES) return;
        chunks.push(chunk);
        received += chunk.length;
        if (received >= EXCERPT_BYTES) done();
      });
      res.on('end', done);
      // A reset mid-body still leaves a real status; report it with what arrived.
      res.on('error', done);
      res.on('close', done);
    });

    outgoing.end(req.body);
  });
}
