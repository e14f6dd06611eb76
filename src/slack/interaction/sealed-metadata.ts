import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { z } from 'zod';

/**
 * A modal's `private_metadata`, sealed with an HMAC. Slack hands the metadata back with the submission, and it comes
 * from the client's side of the wire, so it is authenticated, not trusted: a seal that does not verify, a view id or
 * a user id that does not match the submission, is a tampered submission and is refused.
 *
 * Why a seal and not server-side state keyed by view id: the state would be lost at a restart and would not be
 * shared by replicas (NIM_REPLICAS), so a modal opened before a deploy, or submitted to another replica, would fail.
 * The key is derived from the Slack signing secret (shared by every replica, known only to Slack and the app) by
 * HKDF, so it signs nothing else; without one, a random per-process key.
 *
 * Format: `v1.<base64url JSON>.<base64url HMAC-SHA256>`, or `v2.` with the JSON deflated (a moderation confirmation
 * carries up to 50 accids and a reason); Slack's limit is 3000 characters.
 */

export const METADATA_MAX = 3000;
const PREFIX = 'v1';
const COMPRESSED = 'v2';
/** A v2 body never inflates beyond this: a forged one cannot make the app allocate much. */
const MAX_INFLATED = 64 * 1024;

export type MetadataKey = { readonly bytes: Buffer };

/** A key for sealing, derived from `secret` (the signing secret), or random for this process only. */
export function metadataKey(secret?: string): MetadataKey {
  if (secret === undefined || secret === '') return { bytes: randomBytes(32) };
  const derived = hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), 'im-admin private_metadata v1', 32);
  return { bytes: Buffer.from(derived) };
}

/** Seals `data` (JSON-serializable). Throws when the result would not fit Slack's 3000 characters. */
export function sealMetadata(key: MetadataKey, data: object, options: { compress?: boolean } = {}): string {
  const json = Buffer.from(JSON.stringify(data), 'utf8');
  const prefix = options.compress ? COMPRESSED : PREFIX;
  const body = (options.compress ? deflateRawSync(json, { level: 9 }) : json).toString('base64url');
  const sealed = `${prefix}.${body}.${mac(key, body, prefix)}`;
  if (sealed.length > METADATA_MAX) throw new RangeError(`private_metadata would be ${sealed.length} characters`);
  return sealed;
}

/** The data inside a seal, parsed by `schema`; undefined when the seal does not verify or the data does not parse. */
export function openMetadata<S extends z.ZodType>(key: MetadataKey, sealed: unknown, schema: S): z.infer<S> | undefined {
  if (typeof sealed !== 'string' || sealed.length > METADATA_MAX) return undefined;
  const [prefix, body, signature, ...rest] = sealed.split('.');
  if ((prefix !== PREFIX && prefix !== COMPRESSED) || body === undefined || signature === undefined || rest.length > 0) return undefined;
  const expected = Buffer.from(mac(key, body, prefix), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  let json: unknown;
  try {
    const raw = Buffer.from(body, 'base64url');
    json = JSON.parse((prefix === COMPRESSED ? inflateRawSync(raw, { maxOutputLength: MAX_INFLATED }) : raw).toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/**
 * A short digest of a field's value as it was prefilled, so the submission can tell which fields the person changed
 * without carrying the values (a card can be larger than private_metadata allows). Keyed, so it reveals nothing.
 */
export function valueDigest(key: MetadataKey, value: string): string {
  return createHmac('sha256', key.bytes).update(createHash('sha256').update(value, 'utf8').digest()).digest('base64url').slice(0, 16);
}

function mac(key: MetadataKey, body: string, prefix = PREFIX): string {
  return createHmac('sha256', key.bytes).update(`${prefix}.${body}`).digest('base64url');
}
