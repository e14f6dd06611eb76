import { describe, expect, it } from 'vitest';
import { parseAccidList, parseQchatNick } from '../../../src/slack/interaction/command-text.js';

describe('parseAccidList', () => {
  it('splits on spaces, commas and new lines', () => {
    expect(parseAccidList('t1 t2,t3\nt4 ,  t5\r\n\tt6')).toEqual({
      help: false,
      accids: ['t1', 't2', 't3', 't4', 't5', 't6'],
      invalid: [],
    });
  });

  it('accepts the full-width commas a Chinese keyboard types', () => {
    expect(parseAccidList('t1，t2、t3').accids).toEqual(['t1', 't2', 't3']);
  });

  it('drops duplicates case-insensitively, keeping the first spelling', () => {
    expect(parseAccidList('Alice bob alice ALICE bob').accids).toEqual(['Alice', 'bob']);
  });

  it.each(['', '   ', '\n', 'help', 'HELP', ' help '])('asks for usage on %j', (text) => {
    expect(parseAccidList(text)).toEqual({ help: true, accids: [], invalid: [] });
  });

  it('looks up an account called help when other accounts come with it', () => {
    expect(parseAccidList('help t1')).toMatchObject({ help: false, accids: ['help', 't1'] });
  });

  it('names invalid accids with the reason and still looks up the valid ones', () => {
    const result = parseAccidList(`ok1 bad! ${'x'.repeat(33)} 名字`);
    expect(result.accids).toEqual(['ok1']);
    expect(result.invalid).toEqual([
      { accid: 'bad!', reason: 'may contain only letters, digits and _ @ . -', kind: 'bad_characters' },
      { accid: 'x'.repeat(33), reason: 'is longer than 32 characters', kind: 'too_long' },
      { accid: '名字', reason: 'may contain only letters, digits and _ @ . -', kind: 'bad_characters' },
    ]);
  });

  it('undoes Slack escaping, so a typed mention is reported as typed', () => {
    const result = parseAccidList('&lt;@U123|bob&gt; t1');
    expect(result.invalid.map((i) => i.accid)).toEqual(['<@U123|bob>']);
    expect(result.accids).toEqual(['t1']);
  });
});

describe('parseQchatNick', () => {
  it('takes the server id, the accid, and everything after as the nickname', () => {
    expect(parseQchatNick('123456 alice  Big  Fish ')).toEqual({
      help: false,
      serverId: '123456',
      accid: 'alice',
      nick: 'Big  Fish',
    });
  });

  it('keeps a nickname with new lines and escaped characters as typed', () => {
    expect(parseQchatNick('1 a Tom &amp; Jerry').nick).toBe('Tom & Jerry');
  });

  it('leaves missing parts out', () => {
    expect(parseQchatNick('123')).toEqual({ help: false, serverId: '123' });
    expect(parseQchatNick('123 alice')).toEqual({ help: false, serverId: '123', accid: 'alice' });
  });

  it.each(['', 'help', ' Help '])('asks for usage on %j', (text) => {
    expect(parseQchatNick(text)).toEqual({ help: true });
  });
});
