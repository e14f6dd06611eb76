import { afterEach, describe, expect, it } from 'vitest';
import { defaultPeople, visibleText } from '../../support/app-harness.js';
import { ackJson, startUpdateHarness, type ModalView, type UpdateHarness } from './update-harness.js';

const UPDATE = 'user/updateUinfo.action';
const ADA = 'U0ADMIN';
const BEA = 'U0ADMIN2';
type Message = { text?: string; blocks?: unknown[] };

/**
 * Two admins edit one card. Whoever submits second, after the first changed a field they changed too, gets the form
 * back with theirs beside yours and nothing sent; they keep theirs or overwrite. Fields only one of them changed go
 * through.
 */
describe('no lost updates on the edit card form', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  const start = async () => {
    h = await startUpdateHarness({ people: [...defaultPeople, { id: BEA, name: 'Bea Admin', role: 'admin' }] });
  };
  /** Opens the edit form of alice as `user` and waits for it to be filled. */
  const open = async (user: string): Promise<ModalView> => {
    const before = h.slack.calls('views.update').length;
    await h.command('/im-user', 'edit alice', user);
    await expect.poll(() => h.slack.calls('views.update').length, { timeout: 15_000 }).toBeGreaterThan(before);
    const call = h.slack.calls('views.update').at(-1)!;
    return { ...(call.args.view as ModalView), id: String(call.args.view_id) };
  };
  const updates = () => h.emulator.count({ endpoint: UPDATE });
  const conflictView = (ack: { body: string }, id: string): ModalView => ({ ...(JSON.parse(ack.body) as { view: ModalView }).view, id });

  it.each([
    ['Ada first, then Bea', ADA, BEA],
    ['Bea first, then Ada', BEA, ADA],
  ])('%s: the second sees the first one’s nickname beside hers, nothing is sent; overwriting then saves hers', async (_, first, second) => {
    await start();
    const firstForm = await open(first);
    const secondForm = await open(second);
    await h.submit(firstForm, first, { name: 'First Name' });
    await expect.poll(() => h.emulator.getUser('alice')?.name, { timeout: 15_000 }).toBe('First Name');

    const ack = await h.submit(secondForm, second, { name: 'Second Name' });
    expect(ackJson(ack).response_action).toBe('update');
    const shown = conflictView(ack, secondForm.id);
    const text = JSON.stringify(shown);
    expect(text).toContain('Someone else changed this card');
    expect(text).toContain('Changed meanwhile to `First Name`. Yours (in the field): `Second Name`');
    expect(updates()).toBe(1);
    expect(h.emulator.getUser('alice')?.name).toBe('First Name');

    const overwrite = await h.submit(shown, second, {}, { selected: { 'conflict.name': 'overwrite' } });
    expect(ackJson(overwrite)).toEqual({});
    await expect.poll(() => h.emulator.getUser('alice')?.name, { timeout: 15_000 }).toBe('Second Name');
    expect(updates()).toBe(2);
  });

  it('keeping theirs sends nothing and says so', async () => {
    await start();
    const adaForm = await open(ADA);
    const beaForm = await open(BEA);
    await h.submit(adaForm, ADA, { name: 'Ada Wins' });
    await expect.poll(() => h.emulator.getUser('alice')?.name, { timeout: 15_000 }).toBe('Ada Wins');
    const shown = conflictView(await h.submit(beaForm, BEA, { name: 'Bea Tries' }), beaForm.id);
    const keep = await h.submit(shown, BEA, {}, { selected: { 'conflict.name': 'keep' } });
    expect(ackJson(keep)).toEqual({});
    const told = await h.slack.waitForCall('chat.postEphemeral', (call) => call.args.user === BEA, 15_000);
    expect(visibleText(told.args as Message)).toMatch(/did not change any field/);
    expect(updates()).toBe(1);
    expect(h.emulator.getUser('alice')?.name).toBe('Ada Wins');
  });

  it('a conflict form sent without a choice sends nothing and asks again, even with the choice left out or forged', async () => {
    await start();
    const adaForm = await open(ADA);
    const beaForm = await open(BEA);
    await h.submit(adaForm, ADA, { name: 'Ada Wins' });
    await expect.poll(() => h.emulator.getUser('alice')?.name, { timeout: 15_000 }).toBe('Ada Wins');
    const shown = conflictView(await h.submit(beaForm, BEA, { name: 'Bea Tries' }), beaForm.id);
    const asked = { response_action: 'errors', errors: { 'conflict.name': expect.stringMatching(/Keep theirs or Overwrite with mine/) } };

    expect(ackJson(await h.submit(shown, BEA, {}))).toEqual(asked);
    const withoutChoice = { ...shown, blocks: shown.blocks.filter((block) => block.block_id !== 'conflict.name') };
    expect(ackJson(await h.submit(withoutChoice, BEA, {}))).toEqual(asked);
    expect(ackJson(await h.submit(shown, BEA, {}, { selected: { 'conflict.name': 'both' } }))).toEqual(asked);
    expect(updates()).toBe(1);
    expect(h.emulator.getUser('alice')?.name).toBe('Ada Wins');

    expect(ackJson(await h.submit(shown, BEA, {}, { selected: { 'conflict.name': 'overwrite' } }))).toEqual({});
    await expect.poll(() => h.emulator.getUser('alice')?.name, { timeout: 15_000 }).toBe('Bea Tries');
  });

  it('different fields do not conflict: both changes are kept', async () => {
    await start();
    const adaForm = await open(ADA);
    const beaForm = await open(BEA);
    await h.submit(adaForm, ADA, { name: 'Ada Name' });
    await expect.poll(() => h.emulator.getUser('alice')?.name, { timeout: 15_000 }).toBe('Ada Name');
    const ack = await h.submit(beaForm, BEA, { sign: 'Bea signature' });
    expect(ackJson(ack)).toEqual({});
    await expect.poll(() => h.emulator.getUser('alice')?.sign, { timeout: 15_000 }).toBe('Bea signature');
    expect(h.emulator.getUser('alice')?.name).toBe('Ada Name');
    // Bea's form still held the old nickname: it was not sent back over Ada's.
    expect(h.emulator.received.filter((r) => r.endpoint === UPDATE).at(-1)?.form).toEqual({ accid: 'alice', sign: 'Bea signature' });
  });

  it('the same value typed by both is no conflict', async () => {
    await start();
    const adaForm = await open(ADA);
    const beaForm = await open(BEA);
    await h.submit(adaForm, ADA, { name: 'Same Name' });
    await expect.poll(() => h.emulator.getUser('alice')?.name, { timeout: 15_000 }).toBe('Same Name');
    expect(ackJson(await h.submit(beaForm, BEA, { name: 'Same Name' }))).toEqual({});
  });

  it('when the card is read too late to show the form again, the conflict is told and nothing is sent', async () => {
    await start();
    const adaForm = await open(ADA);
    const beaForm = await open(BEA);
    await h.submit(adaForm, ADA, { name: 'Ada Quick' });
    await expect.poll(() => h.emulator.getUser('alice')?.name, { timeout: 15_000 }).toBe('Ada Quick');
    // NetEase answers the read after the form has had to close (1.5 s before the ack).
    h.emulator.injectFault('user/getUinfos.action', { kind: 'latency', ms: 2000 }, 1);
    const ack = await h.submit(beaForm, BEA, { name: 'Bea Slow' });
    expect(ackJson(ack)).toEqual({});
    expect(ack.ackMs).toBeLessThan(3000);
    const told = await h.slack.waitForCall('chat.postEphemeral', (call) => call.args.user === BEA, 15_000);
    expect(visibleText(told.args as Message)).toMatch(/Nothing was saved: someone else changed the card/);
    expect(updates()).toBe(1);
    expect(h.emulator.getUser('alice')?.name).toBe('Ada Quick');
  });
});

const QCHAT_UPDATE = 'qchat/updateServerMember.action';
const SERVER = '1513535';

/** The same for `/qchat-nick`: the form opens with the member's nickname, sealed as opened, and compares at submit. */
describe('no lost updates on the /qchat-nick form', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  const start = async () => {
    h = await startUpdateHarness({ people: [...defaultPeople, { id: BEA, name: 'Bea Admin', role: 'admin' }] });
  };
  /** Opens the nickname form of lina as `user` and waits for it to be filled. */
  const open = async (user: string): Promise<ModalView> => {
    const before = h.slack.calls('views.update').length;
    await h.command('/qchat-nick', `${SERVER} lina`, user);
    await expect.poll(() => h.slack.calls('views.update').length, { timeout: 15_000 }).toBeGreaterThan(before);
    const call = h.slack.calls('views.update').at(-1)!;
    return { ...(call.args.view as ModalView), id: String(call.args.view_id) };
  };
  const nick = () => h.emulator.getServerMember(SERVER, 'lina')?.nick;
  const updates = () => h.emulator.count({ endpoint: QCHAT_UPDATE });
  const conflictView = (ack: { body: string }, id: string): ModalView => ({ ...(JSON.parse(ack.body) as { view: ModalView }).view, id });
  const initialNick = (view: ModalView) => view.blocks.find((b) => b.block_id === 'nick')?.element?.initial_value;

  it.each([
    ['Ada first, then Bea', ADA, BEA],
    ['Bea first, then Ada', BEA, ADA],
  ])('%s: the second sees the first one’s nickname beside hers, nothing is sent; overwriting then saves hers', async (_, first, second) => {
    await start();
    const firstForm = await open(first);
    const secondForm = await open(second);
    expect(initialNick(secondForm)).toBe('娜娜');
    await h.submit(firstForm, first, { nick: 'First Nick' });
    await expect.poll(nick, { timeout: 15_000 }).toBe('First Nick');

    const ack = await h.submit(secondForm, second, { nick: 'Second Nick' });
    expect(ackJson(ack).response_action).toBe('update');
    const shown = conflictView(ack, secondForm.id);
    const text = JSON.stringify(shown);
    expect(text).toContain('Someone else changed this nickname');
    expect(text).toContain('Changed meanwhile to `First Nick`. Yours (in the field): `Second Nick`');
    expect(initialNick(shown)).toBe('Second Nick');
    expect(updates()).toBe(1);
    expect(nick()).toBe('First Nick');

    const overwrite = await h.submit(shown, second, {}, { selected: { 'conflict.nick': 'overwrite' } });
    expect(ackJson(overwrite)).toEqual({});
    await expect.poll(nick, { timeout: 15_000 }).toBe('Second Nick');
    expect(updates()).toBe(2);
  });

  it('keeping theirs sends nothing and says so', async () => {
    await start();
    const adaForm = await open(ADA);
    const beaForm = await open(BEA);
    await h.submit(adaForm, ADA, { nick: 'Ada Wins' });
    await expect.poll(nick, { timeout: 15_000 }).toBe('Ada Wins');
    const shown = conflictView(await h.submit(beaForm, BEA, { nick: 'Bea Tries' }), beaForm.id);
    const keep = await h.submit(shown, BEA, {}, { selected: { 'conflict.nick': 'keep' } });
    expect(ackJson(keep)).toEqual({});
    const told = await h.slack.waitForCall('chat.postEphemeral', (call) => call.args.user === BEA, 15_000);
    expect(visibleText(told.args as Message)).toMatch(/Nothing was sent: the nickname stays as it is now/);
    expect(updates()).toBe(1);
    expect(nick()).toBe('Ada Wins');
  });

  it('a conflict form sent without a choice sends nothing and asks again', async () => {
    await start();
    const adaForm = await open(ADA);
    const beaForm = await open(BEA);
    await h.submit(adaForm, ADA, { nick: 'Ada Wins' });
    await expect.poll(nick, { timeout: 15_000 }).toBe('Ada Wins');
    const shown = conflictView(await h.submit(beaForm, BEA, { nick: 'Bea Tries' }), beaForm.id);
    const asked = { response_action: 'errors', errors: { 'conflict.nick': expect.stringMatching(/Keep theirs or Overwrite with mine/) } };
    expect(ackJson(await h.submit(shown, BEA, {}))).toEqual(asked);
    const withoutChoice = { ...shown, blocks: shown.blocks.filter((block) => block.block_id !== 'conflict.nick') };
    expect(ackJson(await h.submit(withoutChoice, BEA, {}))).toEqual(asked);
    expect(updates()).toBe(1);
    expect(nick()).toBe('Ada Wins');
  });

  it('a nickname left as opened is not sent back over theirs; the same value typed by both is no conflict', async () => {
    await start();
    const adaForm = await open(ADA);
    const beaForm = await open(BEA);
    await h.submit(adaForm, ADA, { nick: 'Ada Nick' });
    await expect.poll(nick, { timeout: 15_000 }).toBe('Ada Nick');
    // Bea changes only the avatar: her form still holds the old nickname, which is not sent.
    expect(ackJson(await h.submit(beaForm, BEA, { avatar: 'https://example.com/bea.png' }))).toEqual({});
    await expect.poll(() => h.emulator.getServerMember(SERVER, 'lina')?.avatar, { timeout: 15_000 }).toBe('https://example.com/bea.png');
    expect(h.emulator.received.filter((r) => r.endpoint === QCHAT_UPDATE).at(-1)?.form).toEqual({
      serverId: SERVER,
      accid: 'lina',
      avatar: 'https://example.com/bea.png',
    });
    expect(nick()).toBe('Ada Nick');

    const again = await open(BEA);
    await h.submit(await open(ADA), ADA, { nick: 'Same Nick' });
    await expect.poll(nick, { timeout: 15_000 }).toBe('Same Nick');
    expect(ackJson(await h.submit(again, BEA, { nick: 'Same Nick' }))).toEqual({});
  });

  it('when the member is read too late to show the form again, the conflict is told and nothing is sent', async () => {
    await start();
    const adaForm = await open(ADA);
    const beaForm = await open(BEA);
    await h.submit(adaForm, ADA, { nick: 'Ada Quick' });
    await expect.poll(nick, { timeout: 15_000 }).toBe('Ada Quick');
    // NetEase answers the read after the form has had to close (1.5 s before the ack).
    h.emulator.injectFault('qchat/getServerMemberListPage.action', { kind: 'latency', ms: 2000 }, 1);
    const ack = await h.submit(beaForm, BEA, { nick: 'Bea Slow' });
    expect(ackJson(ack)).toEqual({});
    expect(ack.ackMs).toBeLessThan(3000);
    const told = await h.slack.waitForCall('chat.postEphemeral', (call) => call.args.user === BEA, 15_000);
    expect(visibleText(told.args as Message)).toMatch(/Nothing was saved: someone else changed the nickname/);
    expect(updates()).toBe(1);
    expect(nick()).toBe('Ada Quick');
  });
});
