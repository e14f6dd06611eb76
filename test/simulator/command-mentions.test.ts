import { describe, expect, it } from 'vitest';
import { escapeMentions } from '../../src/simulator/command-mentions.js';

const directory = {
  people: [
    { id: 'U0ADMIN', name: 'Ada Admin' },
    { id: 'U0MEMBER', name: 'Max Member' },
    { id: 'U0MAXB', name: 'Max Bell' },
  ],
  channels: [
    { id: 'C0GENERAL', name: 'general' },
    { id: 'D0ADA', name: 'im-admin', dm: true },
  ],
  usergroupHandles: { S0WRITERS: 'im-writers' },
};
const escape = (text: string) => escapeMentions(text, directory);

describe('mentions in a should_escape command, as Slack sends them', () => {
  it('turns @person into <@U…|username>, by username, name or unique first name', () => {
    expect(escape('@ada')).toBe('<@U0ADMIN|ada.admin>');
    expect(escape('@ada.admin')).toBe('<@U0ADMIN|ada.admin>');
    expect(escape('@AdaAdmin')).toBe('<@U0ADMIN|ada.admin>');
    expect(escape('history @ada.')).toBe('history <@U0ADMIN|ada.admin>.');
  });

  it('leaves a name that matches no one, or more than one, as typed', () => {
    expect(escape('@max')).toBe('@max');
    expect(escape('@nobody')).toBe('@nobody');
    expect(escape('alice@example.com')).toBe('alice@example.com');
  });

  it('turns #channel into <#C…|name>, user groups and @here into their tokens', () => {
    expect(escape('#general')).toBe('<#C0GENERAL|general>');
    expect(escape('#im-admin')).toBe('#im-admin');
    expect(escape('@im-writers')).toBe('<!subteam^S0WRITERS|@im-writers>');
    expect(escape('@here and @channel')).toBe('<!here> and <!channel>');
  });
});
