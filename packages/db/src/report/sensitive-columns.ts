/**
 * Which new columns a reviewer should look at twice. Secrets (tokens, keys,
 * passwords) and personal data need different care: a secret must never be
 * stored in the clear, logged or returned; personal data needs access rules
 * and retention. So a column is one or the other, secrets first.
 */

/** The words of a column name: `token_hash` → token, hash; `apiKey` → api, key. */
const wordsOf = (column: string): string[] =>
  (column.split('.').pop() ?? '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

const secretWords = new Set([
  'token',
  'tokens',
  'secret',
  'secrets',
  'password',
  'passwd',
  'passphrase',
  'credential',
  'credentials',
  'salt',
  'otp',
  'apikey',
]);

/** `token_hash`, `refresh_token`, `client_secret`, `password_digest`, `api_key`, `signing_key`… */
export function looksSecret(column: string): boolean {
  const words = wordsOf(column);
  return words.some((w) => secretWords.has(w)) || words.at(-1) === 'key';
}

const personalPattern =
  /(e_?mail|phone|mobile|address|street|postcode|zip|birth|dob|ssn|passport|national_id|ip_address|salary|iban)/;

/** `email`, `phone`, `date_of_birth`, `iban`… (a secret-looking column counts as a secret, not here). */
export function looksPersonal(column: string): boolean {
  return !looksSecret(column) && personalPattern.test(wordsOf(column).join('_'));
}
