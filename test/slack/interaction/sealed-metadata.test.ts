import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { metadataKey, openMetadata, sealMetadata, valueDigest } from '../../../src/slack/interaction/sealed-metadata.js';

const schema = z.object({ viewId: z.string(), user: z.string(), accid: z.string() });
const data = { viewId: 'V1', user: 'U0ADMIN', accid: 'alice' };

describe('sealed private_metadata', () => {
  it('opens what it sealed', () => {
    const key = metadataKey('signing-secret');
    expect(openMetadata(key, sealMetadata(key, data), schema)).toEqual(data);
  });

  it('is the same key for every replica with the same signing secret, and another without it', () => {
    const sealed = sealMetadata(metadataKey('signing-secret'), data);
    expect(openMetadata(metadataKey('signing-secret'), sealed, schema)).toEqual(data);
    expect(openMetadata(metadataKey('other-secret'), sealed, schema)).toBeUndefined();
    expect(openMetadata(metadataKey(), sealed, schema)).toBeUndefined();
  });

  it('refuses altered data, a cut signature, extra parts and junk', () => {
    const key = metadataKey('s');
    const [prefix, body, mac] = sealMetadata(key, data).split('.');
    const altered = Buffer.from(JSON.stringify({ ...data, accid: 'bob' })).toString('base64url');
    expect(openMetadata(key, `${prefix}.${altered}.${mac}`, schema)).toBeUndefined();
    expect(openMetadata(key, `${prefix}.${body}.${mac!.slice(1)}`, schema)).toBeUndefined();
    expect(openMetadata(key, `${prefix}.${body}.${mac}.x`, schema)).toBeUndefined();
    for (const junk of ['', 'v1', '{}', 42, undefined, 'x'.repeat(3001)]) expect(openMetadata(key, junk, schema)).toBeUndefined();
  });

  it('refuses sealed data that does not fit the schema', () => {
    const key = metadataKey('s');
    expect(openMetadata(key, sealMetadata(key, { viewId: 'V1' }), schema)).toBeUndefined();
  });

  it('refuses to seal more than Slack keeps (3000 characters)', () => {
    expect(() => sealMetadata(metadataKey('s'), { big: 'x'.repeat(2500) })).toThrow(RangeError);
  });

  it('digests values without revealing them, and tells changed values apart', () => {
    const key = metadataKey('s');
    const digest = valueDigest(key, 'alice@example.com');
    expect(digest).not.toContain('alice');
    expect(digest).toBe(valueDigest(key, 'alice@example.com'));
    expect(digest).not.toBe(valueDigest(key, 'alice@example.co'));
    expect(digest).not.toBe(valueDigest(metadataKey('t'), 'alice@example.com'));
  });
});

describe('compressed seals (v2)', () => {
  const key = metadataKey('signing-secret');
  const schema = z.object({ accids: z.array(z.string()), reason: z.string() });
  it('carries 50 long accids and a long reason within 3000 characters, and opens again', () => {
    const data = {
      accids: Array.from({ length: 50 }, (_, i) => `spammer_account_number_${String(i).padStart(6, '0')}`),
      reason: 'spam links '.repeat(40),
    };
    const sealed = sealMetadata(key, data, { compress: true });
    expect(sealed.length).toBeLessThan(3000);
    expect(sealed.startsWith('v2.')).toBe(true);
    expect(openMetadata(key, sealed, schema)).toEqual(data);
  });

  it('refuses a v2 seal with its body swapped for a v1 one, or altered', () => {
    const sealed = sealMetadata(key, { accids: ['a'], reason: 'r' }, { compress: true });
    expect(openMetadata(key, sealed.replace(/^v2\./, 'v1.'), schema)).toBeUndefined();
    const [prefix, body, mac] = sealed.split('.');
    expect(openMetadata(key, `${prefix}.${body}A.${mac}`, schema)).toBeUndefined();
  });
});
