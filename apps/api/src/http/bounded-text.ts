/** `text` cut to `max` characters with an ellipsis, so a client's input never makes an answer or a log line huge. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
