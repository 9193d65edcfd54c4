/** The PWA's one way to call the server: same-origin, JSON, errors as ApiFailure. */
import type { ApiErrorBody } from '../../contract/api.ts';
import { currentLocale, loadNamespace, t, textOr } from '../i18n/i18n.ts';
import { observeResponse } from './offline.ts';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

/**
 * What the person reads of a server error (CONTRACT §14): its `code`'s text in their language; in
 * English the server's own message (it is English, and names the detail: a limit, the field); a code
 * this build does not know keeps the server's message. The texts (`errors`) load with the first error
 * (api): a screen that never sees one never downloads them.
 */
export const errorText = (code: string, serverMessage: string): string =>
  currentLocale() === 'en' ? serverMessage : textOr(`errors.${code}`, serverMessage);

/** The message of an error about one field (a 400 naming it), for that field's input; null otherwise. */
export function fieldError(error: unknown, field: string): string | null {
  return error instanceof ApiFailure && error.field === field ? error.message : null;
}

export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json: given, ...rest } = init;
  // Every write is JSON, even one without a body: the server refuses others (a browser cannot send
  // JSON across sites without asking first, which is what keeps other sites from pressing buttons).
  const writes = rest.method !== undefined && !['GET', 'HEAD'].includes(rest.method.toUpperCase());
  const json = given === undefined && writes && rest.body === undefined ? {} : given;
  const headers = new Headers(rest.headers);
  headers.set('accept', 'application/json');
  if (json !== undefined) headers.set('content-type', 'application/json');
  let response: Response;
  try {
    response = await fetch(path, {
      ...rest,
      headers,
      credentials: 'same-origin',
      body: json === undefined ? rest.body : JSON.stringify(json),
    });
  } catch {
    throw new ApiFailure(0, 'network', t('core.error.network'));
  }
  observeResponse(response);
  if (response.status === 204) return undefined as T;
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as ApiErrorBody | null)?.error;
    if (!error) throw new ApiFailure(response.status, 'http_error', t('core.error.http', { status: response.status }));
    // Offline with this language's texts not yet kept, the server's (English) message stands.
    if (currentLocale() !== 'en') await loadNamespace('errors').catch(() => undefined);
    throw new ApiFailure(response.status, error.code, errorText(error.code, error.message), error.field ?? null);
  }
  return body as T;
}
