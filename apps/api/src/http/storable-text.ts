import { z } from 'zod';

/**
 * PostgreSQL cannot store a NUL character (text: SQLSTATE 22021, jsonb: 22P05)
 * nor a lone UTF-16 surrogate (jsonb: 22P05; in text the driver's UTF-8
 * encoding silently turns it into U+FFFD). With the `u` flag a surrogate pair
 * is one code point, so only lone surrogates fall in the range.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point.
const unstorableCharacter = /[\u0000\uD800-\uDFFF]/u;

export const unstorableTextMessage =
  'holds a NUL character or a lone surrogate, which cannot be stored';

/** Enough to name the culprits; the walk stops there, so a huge body costs no more. */
const maxReported = 5;

type Path = (string | number)[];

/**
 * Paths of the strings (values and object keys) in `value` that cannot be
 * stored. Walked with a stack of its own: JSON nested deeper than the call
 * stack must not crash the check.
 */
export function unstorableTextPaths(value: unknown): Path[] {
  const found: Path[] = [];
  const pending: { value: unknown; path: Path }[] = [{ value, path: [] }];
  while (pending.length > 0 && found.length < maxReported) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      if (unstorableCharacter.test(current)) found.push(path);
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) {
        pending.push({ value: current[index], path: [...path, index] });
      }
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current).reverse()) {
        if (unstorableCharacter.test(key)) found.push([...path, key]);
        pending.push({ value: item, path: [...path, key] });
      }
    }
  }
  return found.slice(0, maxReported);
}

/**
 * `schema`, checked first for text the database cannot store anywhere in the
 * input: every field of a body (nested notes and URL lists included) and every
 * query parameter, answered as a validation issue naming the field.
 */
export function withStorableText<Schema extends z.ZodType>(schema: Schema) {
  return z
    .unknown()
    .superRefine((value, context) => {
      for (const path of unstorableTextPaths(value)) {
        context.addIssue({ code: 'custom', path, message: unstorableTextMessage });
      }
    })
    .pipe(schema);
}
