import { z } from 'zod';
import { accidProblem } from '../../nim/accid.js';
import type { Reply } from '../http-io.js';
import { nimReply } from '../http-io.js';

/** A NetEase business error raised inside a handler; the router turns it into `{"code":…,"desc":…}`. */
export class NimFailure extends Error {
  constructor(
    readonly nimCode: number,
    readonly desc: string,
  ) {
    super(`${nimCode} ${desc}`);
  }

  toReply(): Reply {
    return nimReply(this.nimCode, this.desc);
  }
}

/**
 * Parses a form with a zod schema. NetEase reports one parameter problem at a time as 414 with a `desc` naming the
 * parameter, so the first issue's message (the schema's own wording) becomes the desc.
 */
export function parseForm<T extends z.ZodType>(schema: T, form: Record<string, string>): z.output<T> {
  const result = schema.safeParse(form);
  if (result.success) return result.data;
  throw new NimFailure(414, result.error.issues[0]?.message ?? 'parameter error');
}

/** A success answer: `{"code":200,…}` with no desc. */
export function okReply(fields: Record<string, unknown> = {}): Reply {
  return { kind: 'json', status: 200, code: 200, text: JSON.stringify({ code: 200, ...fields }) };
}

export const notFound = (what: string) => new NimFailure(404, `${what} not exist`);

export const required = (field: string) => z.string({ error: `${field} is missing` });

export const accidField = required('accid').refine((value) => accidProblem(value) === undefined, {
  error: (issue) => `accid ${accidProblem(String(issue.input)) ?? 'is invalid'}`,
});

/** At most `max` characters as a Java string counts them: UTF-16 code units, i.e. JS `.length`. */
export const chars = (field: string, max: number) =>
  z
    .string()
    // Not z.string().max(): zod counts code points, so 33 emoji (66 units) would pass a 64-character limit.
    .refine((value) => value.length <= max, `${field} too long (max ${max} characters)`)
    .optional();

/** At most `max` bytes of UTF-8. */
export const bytes = (field: string, max: number) =>
  z
    .string()
    .refine((value) => Buffer.byteLength(value, 'utf8') <= max, `${field} too long (max ${max} bytes)`)
    .optional();

/** `true` or `false`, as NetEase's boolean parameters are written. */
export const flag = (field: string) =>
  z.enum(['true', 'false'], { error: `${field} must be true or false` }).transform((value) => value === 'true');

/** The moderation business id: a JSON object such as {"textbid":"","picbid":""}. The emulator does no moderation. */
export const bidField = z
  .string()
  .refine((value) => value === '' || isJsonObject(value), 'bid must be a JSON object like {"textbid":"","picbid":""}')
  .optional();

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
