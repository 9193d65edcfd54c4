/**
 * How a single sign-on route says no. The start and the callback are browser navigations (a link,
 * then the provider's redirect), so a browser gets a minimal page that says why in words and leads
 * back to the sign-in page; any other client (a script, the route tests) gets the API's JSON error.
 * The page is served by the server itself: no script, no style but the browser's, nothing from the
 * request echoed but what is escaped. It speaks the browser's language (`Accept-Language`): the
 * heading and the sentence for the refusal's `code` come from the catalogs; English keeps the detailed
 * sentence (which names the provider and the groups it sent).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_LOCALE, type Locale, localeDir, pickLocale } from '../../../contract/locales.ts';
import { acceptedLanguages } from '../../http/localePreload.ts';
import { pageWord } from '../../i18n/pageWords.ts';

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

export function refusedPage(r: Refusal, locale: Locale = DEFAULT_LOCALE): string {
  const english = locale === DEFAULT_LOCALE;
  const title = english ? r.title : (pageWord(locale, 'server.notSignedIn') ?? r.title);
  const message = english ? r.message : (pageWord(locale, `errors.${r.code}`) ?? r.message);
  const back = pageWord(locale, 'server.backToSignIn') ?? 'Back to sign-in';
  const details = (english ? (r.details ?? []) : []).map((d) => `\n<p>${escapeHtml(d)}</p>`).join('');
  return `<!doctype html>
<html lang="${locale}" dir="${localeDir(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)} · Switchboard</title>
<link rel="icon" href="/favicon.svg">
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>${details}
<p><a href="/">${escapeHtml(back)}</a></p>
</main>
</body>
</html>
`;
}

export function refuse(request: FastifyRequest, reply: FastifyReply, r: Refusal): FastifyReply {
  reply.code(r.status);
  if (wantsPage(request)) {
    const locale = pickLocale(acceptedLanguages(request.headers['accept-language']));
    return reply.type('text/html; charset=utf-8').header('vary', 'Accept-Language').send(refusedPage(r, locale));
  }
  return reply.send({ error: { code: r.code, message: r.message, field: r.field ?? null } });
}
