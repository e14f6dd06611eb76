import { describe, expect, it } from 'vitest';
import type { HistoryItem } from '../../src/audit/store/contract.js';
import { checkUndo } from '../../src/undo/changed-since.js';
import { inverseOf, isUndoable, timeLeftAtUnmute, type Inverse } from '../../src/undo/inverse.js';
import { cardState } from '../../src/undo/state.js';

const applied = (intent: Partial<Extract<HistoryItem, { kind: 'update' }>['intent']>): Extract<HistoryItem, { kind: 'update' }> => ({
  kind: 'update',
  intent: {
    kind: 'intent',
    id: 'x',
    at: '2026-12-01T14:00:00.000Z',
    actor: 'U1',
    action: 'mute',
    command: 'c',
    target: { accid: 'a' },
    changes: {},
    ...intent,
  },
  outcome: { kind: 'outcome', id: intent.id ?? 'x', at: '2026-12-01T14:00:01.000Z', status: 'applied' },
});

function inverse(item: HistoryItem, history: HistoryItem[] = []): Inverse {
  const result = inverseOf(item, history);
  if (!isUndoable(result)) throw new Error(result.why);
  return result;
}

describe('what an undo would do to the account as it is now', () => {
  const moduleMute = applied({ changes: { muteTeam: { before: 'false', after: 'true' }, muteRoom: { before: 'false', after: 'true' } } });

  it('is ready when the account is as the change left it', () => {
    expect(checkUndo(inverse(moduleMute), cardState({ accid: 'a', muteTeam: true, muteRoom: true }))).toEqual({
      status: 'ready',
      send: { muteTeam: 'false', muteRoom: 'false' },
    });
  });

  it('is changed since when someone else already undid part of it, and overwriting sends only the rest', () => {
    expect(checkUndo(inverse(moduleMute), cardState({ accid: 'a', muteTeam: true }))).toEqual({
      status: 'changed_since',
      changed: [{ key: 'muteRoom', left: 'true', theirs: 'false', undo: 'false' }],
      overwrite: { muteTeam: 'false' },
    });
  });

  it('has nothing to send when the account already is as the undo would leave it', () => {
    expect(checkUndo(inverse(moduleMute), cardState({ accid: 'a' }))).toEqual({ status: 'already' });
  });

  it('a change whose outcome is unknown is undoable only when it was read back in place', () => {
    const unknown = { ...moduleMute, outcome: { ...moduleMute.outcome!, status: 'unknown' as const } };
    expect(inverseOf(unknown)).toEqual({ why: 'not_applied' });
    expect(isUndoable(inverseOf({ ...unknown, outcome: { ...unknown.outcome, readBack: 'in_place' } }))).toBe(true);
  });

  it('a QChat nick whose before was not read cannot be restored', () => {
    const nick = applied({ action: 'qchat_update_member', target: { accid: 'a', serverId: '1' }, changes: { nick: { after: 'x' } } });
    expect(inverseOf(nick)).toEqual({ why: 'before_unknown' });
  });

  it('the time a lifted mute had left: none for a timed lift by the app or a mute that had run out', () => {
    const mute = applied({
      id: 'm',
      at: '2026-12-01T14:00:00.000Z',
      sanction: { liftAt: '2026-12-01T16:00:00.000Z', durationMs: 7_200_000 },
    });
    const unmute = applied({ id: 'u', action: 'unmute', at: '2026-12-01T15:00:00.000Z' }).intent;
    expect(timeLeftAtUnmute(unmute, [mute])).toBe(3_600_000);
    expect(timeLeftAtUnmute({ ...unmute, sanction: { lifts: 'm' } }, [mute])).toBeUndefined();
    expect(timeLeftAtUnmute({ ...unmute, at: '2026-12-01T16:30:00.000Z' }, [mute])).toBeUndefined();
  });
});
