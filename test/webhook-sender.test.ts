import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { sendWebhook, type WebhookRequest } from '../server/actions/webhook.ts';

const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const BODY = JSON.stringify({ event: { id: 'ev_1', name: 'deploy' }, action: { key: 'approve', attempt: 1 } });

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

interface Receiver {
  url: string;
  port: number;
  requests: Received[];
}

const servers: Server[] = [];

afterEach(async () => {
  const closing = servers.splice(0).map(
    (s) =>
      new Promise<void>((resolve) => {
        s.closeAllConnections();
        s.close(() => resolve());
      }),
  );
  await Promise.all(closing);
});

/** A real receiver on 127.0.0.1 that records each request, then lets `answer` respond (or not). */
async function receiver(answer: (res: ServerResponse, got: Received) => void): Promise<Receiver> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(got);
      answer(res, got);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook?x=1`, port, requests };
}

function request(url: string, overrides: Partial<WebhookRequest> = {}): WebhookRequest {
  return {
    url,
    body: BODY,
    webhookId: 'att_123',
    timestamp: new Date(),
    secret: SECRET,
    timeoutMs: 5_000,
    allowPrivate: true,
    userAgent: 'Switchboard/0.1.0',
    ...overrides,
  };
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (typeof v === 'string') out[k] = v;
  return out;
}

describe('sendWebhook: outcomes', () => {
  it.each([200, 201])('HTTP %i is success', async (code) => {
    const r = await receiver((res) => res.writeHead(code).end('thanks'));
    const result = await sendWebhook(request(r.url));
    expect(result).toMatchObject({ ok: true, status: code, reason: null, responseExcerpt: 'thanks' });
    expect(result.remoteAddress).toBe('127.0.0.1');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(r.requests).toHaveLength(1);
  });

  it.each([202, 204, 500])('HTTP %i is a failure named after the status', async (code) => {
    const r = await receiver((res) => res.writeHead(code).end());
    const result = await sendWebhook(request(r.url));
    expect(result).toMatchObject({ ok: false, status: code, reason: `http_${code}` });
  });

  it('does not follow a redirect', async () => {
    const target = await receiver((res) => res.writeHead(200).end());
    const r = await receiver((res) => res.writeHead(302, { location: target.url }).end());
    const result = await sendWebhook(request(r.url));
    expect(result).toMatchObject({ ok: false, status: 302, reason: 'http_302' });
    expect(r.requests).toHaveLength(1);
    expect(target.requests).toHaveLength(0);
  });

  it('gives up on a receiver that never answers', async () => {
    const r = await receiver(() => {});
    const result = await sendWebhook(request(r.url, { timeoutMs: 300 }));
    expect(result).toMatchObject({ ok: false, status: null, reason: 'timeout' });
    expect(r.requests).toHaveLength(1);
  });

  it('reports a closed port as connection_refused', async () => {
    const r = await receiver(() => {});
    const [server] = servers.splice(0);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const result = await sendWebhook(request(r.url));
    expect(result).toMatchObject({ ok: false, status: null, reason: 'connection_refused' });
  });

  it('reports a dropped connection as connection_reset', async () => {
    const r = await receiver((res) => res.socket?.destroy());
    const result = await sendWebhook(request(r.url));
    expect(result).toMatchObject({ ok: false, status: null, reason: 'connection_reset' });
  });

  it.each([true, false])('reports an unresolvable host as dns (allowPrivate %s)', async (allowPrivate) => {
    const result = await sendWebhook(request('http://does-not-exist.invalid/hook', { allowPrivate }));
    expect(result).toMatchObject({ ok: false, status: null, reason: 'dns', remoteAddress: null });
  });

  it('reports a failed TLS handshake as tls', async () => {
    const r = await receiver((res) => res.writeHead(200).end());
    const result = await sendWebhook(request(`https://127.0.0.1:${r.port}/`));
    expect(result).toMatchObject({ ok: false, status: null, reason: 'tls' });
  });

  it.each(['not a url', 'ftp://example.com/hook', 'file:///etc/passwd'])('refuses %s as invalid_url', async (url) => {
    const result = await sendWebhook(request(url));
    expect(result).toMatchObject({ ok: false, status: null, reason: 'invalid_url' });
  });

  it('resolves instead of throwing when the secret is unusable', async () => {
    const r = await receiver((res) => res.writeHead(200).end());
    const result = await sendWebhook(request(r.url, { secret: 'whsec_' }));
    expect(result).toMatchObject({ ok: false, reason: 'connection_error' });
    expect(r.requests).toHaveLength(0);
  });
});

describe('sendWebhook: destination policy', () => {
  it('refuses a private IP literal before connecting', async () => {
    const r = await receiver((res) => res.writeHead(200).end());
    const result = await sendWebhook(request(r.url, { allowPrivate: false }));
    expect(result).toMatchObject({ ok: false, status: null, reason: 'blocked_by_policy', remoteAddress: null });
    expect(r.requests).toHaveLength(0);
  });

  it.each(['[::1]', '[::ffff:127.0.0.1]', '0x7f.1', '2130706433'])('refuses the literal %s', async (host) => {
    const r = await receiver((res) => res.writeHead(200).end());
    const result = await sendWebhook(request(`http://${host}:${r.port}/`, { allowPrivate: false }));
    expect(result.reason).toBe('blocked_by_policy');
    expect(r.requests).toHaveLength(0);
  });

  it('refuses a hostname that resolves to loopback (the lookup path)', async () => {
    const r = await receiver((res) => res.writeHead(200).end());
    const result = await sendWebhook(request(`http://localhost:${r.port}/`, { allowPrivate: false }));
    expect(result).toMatchObject({ ok: false, status: null, reason: 'blocked_by_policy', remoteAddress: null });
    expect(r.requests).toHaveLength(0);
  });

  it('lets allowPrivate reach the same hostname', async () => {
    const r = await receiver((res) => res.writeHead(200).end());
    // autoSelectFamily tries ::1 and 127.0.0.1; the receiver only listens on the latter.
    const result = await sendWebhook(request(`http://localhost:${r.port}/`, { allowPrivate: true }));
    expect(result).toMatchObject({ ok: true, status: 200, remoteAddress: '127.0.0.1' });
  });
});

describe('sendWebhook: what the receiver sees', () => {
  it('signs per Standard Webhooks and sends the exact body and headers', async () => {
    const r = await receiver((res) => res.writeHead(200).end());
    const timestamp = new Date();
    const result = await sendWebhook(request(r.url, { timestamp }));
    expect(result.ok).toBe(true);

    const [got] = r.requests;
    expect(got!.body).toBe(BODY);
    const headers = flatHeaders(got!.headers);
    expect(headers['content-type']).toBe('application/json');
    expect(headers['user-agent']).toBe('Switchboard/0.1.0');
    expect(headers['webhook-id']).toBe('att_123');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(timestamp.getTime() / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(SECRET).verify(got!.body, headers)).toEqual(JSON.parse(BODY));

    const otherSecret = `whsec_${Buffer.from('another secret, another receiver').toString('base64')}`;
    expect(() => new Webhook(otherSecret).verify(got!.body, headers)).toThrow();
    expect(() => new Webhook(SECRET).verify(`${got!.body} `, headers)).toThrow();
  });

  it('keeps the first 1024 bytes of the response', async () => {
    const answer = Array.from({ length: 5000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
    const r = await receiver((res) => res.writeHead(500).end(answer));
    const result = await sendWebhook(request(r.url));
    expect(result.responseExcerpt).toBe(answer.slice(0, 1024));
    expect(result.reason).toBe('http_500');
  });

  it('does not split a UTF-8 character at the cut', async () => {
    const answer = `a${'é'.repeat(600)}`; // 1201 bytes; byte 1024 is the middle of an é
    const r = await receiver((res) => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(answer));
    const result = await sendWebhook(request(r.url));
    expect(result.responseExcerpt).toBe(`a${'é'.repeat(511)}`);
    expect(result.responseExcerpt).not.toContain('\uFFFD');
  });

  it('stops reading a receiver that streams fast forever once it has 1 KiB', { timeout: 5_000 }, async () => {
    const timers: NodeJS.Timeout[] = [];
    const r = await receiver((res) => {
      res.writeHead(200);
      timers.push(setInterval(() => res.write('x'.repeat(256)), 5));
    });
    try {
      // Far longer than the test may run: only stopping at 1 KiB lets this finish.
      const result = await sendWebhook(request(r.url, { timeoutMs: 60_000 }));
      expect(result).toMatchObject({ ok: true, status: 200 });
      expect(result.responseExcerpt).toBe('x'.repeat(1024));
    } finally {
      for (const t of timers) clearInterval(t);
    }
  });

  it('returns within the timeout when a receiver trickles its body forever', { timeout: 5_000 }, async () => {
    const timers: NodeJS.Timeout[] = [];
    const r = await receiver((res) => {
      res.writeHead(200);
      res.write('.');
      timers.push(setInterval(() => res.write('.'), 50));
    });
    try {
      const result = await sendWebhook(request(r.url, { timeoutMs: 300 }));
      // The status arrived in time, so it decides; the body only shortens the excerpt.
      expect(result).toMatchObject({ ok: true, status: 200, remoteAddress: '127.0.0.1' });
      expect(result.responseExcerpt).toMatch(/^\.+$/);
      expect(result.responseExcerpt.length).toBeLessThan(1024);
    } finally {
      for (const t of timers) clearInterval(t);
    }
  });
});
