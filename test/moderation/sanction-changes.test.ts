import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditedWrite } from '../../src/audit/audited-write.js';
import { NimApiError } from '../../src/nim/errors.js';
import { SanctionChanges, type SanctionChange } from '../../src/moderation/sanction-changes.js';
import { tempDir } from '../audit/helpers.js';
import { openTestTrail } from '../audit/trail.js';

describe('sanction changes, as the App Home hears them', () => {
  let remove: () => Promise<void>;
  let opened: Awaited<ReturnType<typeof openTestTrail>>;
  const heard: SanctionChange[] = [];
  const changes = new SanctionChanges();
  changes.subscribe((change) => heard.push(change));
  beforeEach(async () => {
    let dir: string;
    ({ dir, remove } = await tempDir());
    heard.length = 0;
    opened = await openTestTrail(dir, { post: async () => undefined });
  });
  afterEach(async () => {
    await opened.close();
    await remove();
  });

  const write = (action: 'mute' | 'update_user_card', fails = false) =>
    auditedWrite(
      { ...opened.trail, onSettled: changes.settled },
      { actor: 'U0ADMIN', action, command: '/im-mute', target: { accid: 'alice' }, changes: {} },
      () => (fails ? Promise.reject(new NimApiError('user/mute.action', 414, 'bad')) : Promise.resolve({})),
    ).catch(() => undefined);

  it('hears an applied mute once its outcome is stored, and neither a card edit nor a mute NetEase refused', async () => {
    await write('mute');
    expect(heard).toEqual([{ accid: 'alice', action: 'mute', intentId: expect.any(String) }]);
    await write('update_user_card');
    await write('mute', true);
    expect(heard).toHaveLength(1);
  });

  it('a listener that throws does not fail the write', async () => {
    const off = changes.subscribe(() => {
      throw new Error('listener broke');
    });
    await expect(
      auditedWrite(
        { ...opened.trail, onSettled: changes.settled },
        { actor: 'U0ADMIN', action: 'mute', command: '/im-mute', target: { accid: 'bob' }, changes: {} },
        () => Promise.resolve('sent'),
      ),
    ).resolves.toBe('sent');
    off();
  });
});
