/** One error type with a code, a status and the field; app.ts turns it into CONTRACT.md's JSON error. */
import type { ApiErrorBody } from '../../contract/api.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, field: this.field } };
  }
}

export const badField = (field: string | null, message: string) =>
  new ApiError(400, 'invalid_field', field ? `${field} ${message}` : message, field);

/** Maps Fastify's own client errors (body parsing, limits, media types) to ours. */
export function fromFastifyError(err: { code?: string; statusCode?: number; message: string }, bodyLimit = 100 * 1024): ApiError | null {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'payload_too_large', `the body must be at most ${bodyLimit % (1024 * 1024) === 0 ? `${bodyLimit / 1024 / 1024} MiB` : `${bodyLimit / 1024} KiB`}`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'unsupported_media_type', 'Content-Type must be application/json, text/plain (or, for a batch of events, application/x-ndjson)');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(400, 'invalid_json', 'the body is empty');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError(400, 'invalid_json', 'the body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(400, 'invalid_body', 'Content-Length does not match the body');
    default:
      break;
  }
  if (err instanceof SyntaxError) return new ApiError(400, 'invalid_json', `the body is not valid JSON: ${err.message}`);
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return new ApiError(err.statusCode, 'bad_request', err.message);
  }
  return null;
}
