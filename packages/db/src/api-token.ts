import { createHash, randomBytes } from 'node:crypto';

/**
 * The one way a token becomes what `api_tokens.token_hash` stores. Tokens are
 * long random strings, so a plain SHA-256 is enough (no salt or slow hash
 * needed: there is nothing to guess), and a lookup stays a single index probe.
 */
export const hashApiToken = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('hex');

/** A fresh random token with a recognisable prefix, for anything other than the seed. */
export const createApiToken = (prefix = 'jam'): string =>
  `${prefix}_${randomBytes(24).toString('base64url')}`;
