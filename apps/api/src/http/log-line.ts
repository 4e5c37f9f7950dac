/**
 * Log lines quote the request path, which the client chose and the router
 * decoded: `%0A` becomes a line break that forges a log line of its own. Every
 * control character (C0, DEL, C1), the Unicode line and paragraph separators
 * and lone surrogates are written as escapes instead, and a line is bounded.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const unsafeInLog = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\uD800-\uDFFF]/gu;

const maxLogLine = 2_000;

export function escapeForLog(text: string): string {
  const escaped = text.replace(unsafeInLog, (character) => {
    const code = character.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return escaped.length <= maxLogLine ? escaped : `${escaped.slice(0, maxLogLine)}… (cut)`;
}

/** `write` that can only ever print one line, whatever it is given. */
export const oneLineLog =
  (write: (line: string) => void) =>
  (line: string): void =>
    write(escapeForLog(line));
