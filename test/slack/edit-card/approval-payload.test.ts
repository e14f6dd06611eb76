import { describe, expect, it } from 'vitest';
import { userCardChangeFields, userCardChangesSchema } from '../../../src/nim/types.js';
import { cardEditApprovalPayload } from '../../../src/slack/edit-card/approval-kind.js';

/** A request as askCardEditApproval stores it, setting `changes`. */
const payloadOf = (changes: Record<string, unknown>) => ({
  kind: 'card_edit',
  accid: 'alice',
  changes,
  before: { accid: 'alice' },
  locale: 'en',
});

describe("a card edit's approval payload reads every change the card's schema allows", () => {
  it('each field of a card change can be asked for (a field added to the card is not refused at askApproval)', () => {
    expect(userCardChangeFields).toEqual(Object.keys(userCardChangesSchema.shape));
    for (const field of userCardChangeFields) {
      const value = field === 'gender' ? 2 : 'x';
      expect(cardEditApprovalPayload.safeParse(payloadOf({ [field]: value })).success, field).toBe(true);
    }
  });

  it('refuses what is not a card change: an unknown field, no field at all, a gender out of range', () => {
    expect(cardEditApprovalPayload.safeParse(payloadOf({ nickname: 'x' })).success).toBe(false);
    expect(cardEditApprovalPayload.safeParse(payloadOf({})).success).toBe(false);
    expect(cardEditApprovalPayload.safeParse(payloadOf({ gender: 3 })).success).toBe(false);
  });
});
