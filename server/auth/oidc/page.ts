/**
 * How a single sign-on route says no. The start and the callback are browser navigations (a link,
 * then the provider's redirect), so a browser gets a minimal page that says why in words and leads
 * back to the sign-in page; any other client (a script, the route tests) gets the API's JSON error.
 * The page is served by the server itself: no script, no style but the browser's, nothing from the
 * request echoed but what is escaped.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface Refusal {
  status: number;
  code: string;
  /** The page's heading. */
  title: string;
  /** Why, in a sentence or two (also the JSON error's message). */
  message: string;
  /** The request's parameter at fault, if any. */
  field?: string | null;
  /** More lines on the page only (the groups the provider sent, say). */
  details?: string[];
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A browser navigating (its Accept names HTML), rather than a program. */
export const wantsPage = (request: FastifyRequest): boolean => /\btext\/html\b/.test(String(request.headers.accept ?? ''));

export function refusedPage(r: Refusal): string {
  const details = (r.details ?? []).map((d) => `\n<p>${escapeHtml(d)}</p>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(r.title)} · Switchboard</title>
<link rel="icon" href="/favicon.svg">
</head>
<body>
<main>
<h1>${escapeHtml(r.title)}</h1>
<p>${escapeHtml(r.message)}</p>${details}
<p><a href="/">Back to sign-in</a></p>
</main>
</body>
</html>
`;
}

export function refuse(request: FastifyRequest, reply: FastifyReply, r: Refusal): FastifyReply {
  reply.code(r.status);
  if (wantsPage(request)) return reply.type('text/html; charset=utf-8').send(refusedPage(r));
  return reply.send({ error: { code: r.code, message: r.message, field: r.field ?? null } });
}
