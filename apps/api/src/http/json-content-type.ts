import { ApiError } from '../errors.js';
import { shorten } from './bounded-text.js';

/** `application/json` or a `+json` type such as `application/merge-patch+json`. */
const jsonMediaType = /^application\/(?:[\w.-]+\+)?json$/;

/** JSON is UTF-8 (RFC 8259); a body declared in another charset would be read wrongly. */
const utf8 = /^"?utf-8"?$/i;

export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [mediaType = '', ...parameters] = header.split(';').map((part) => part.trim());
  if (!jsonMediaType.test(mediaType.toLowerCase())) return false;
  return parameters.every((parameter) => {
    const [name = '', value = ''] = parameter.split('=').map((part) => part.trim());
    return name.toLowerCase() !== 'charset' || utf8.test(value);
  });
}

/** 415 for a body that does not say it is JSON, instead of parsing it as JSON anyway. */
export function assertJsonContentType(header: string | undefined): void {
  if (isJsonContentType(header)) return;
  const sent = header ? `, not ${JSON.stringify(shorten(header, 60))}` : '';
  throw new ApiError(
    415,
    'unsupported_media_type',
    `Send the request body as JSON with "Content-Type: application/json"${sent}.`,
  );
}
