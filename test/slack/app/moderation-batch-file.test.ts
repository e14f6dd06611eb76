import { afterEach, describe, expect, it } from 'vitest';
import { blockTexts, updatedView } from './moderation-harness.js';
import { ackJson, startUpdateHarness, type UpdateHarness } from './update-harness.js';

/** A list of accounts attached to the moderation form (file_input), read from the local Slack API over HTTP. */

const ADMIN = 'U0ADMIN';
const MUTE = 'user/mute.action';
const wave = (n: number) => Array.from({ length: n }, (_, i) => `wave${i}`);

describe('bulk moderation from an attached list', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  async function seeded(accounts: number) {
    h = await startUpdateHarness({ emulator: { rateLimit: 100_000 }, nimOptions: { rateLimit: 5000 } });
    for (const accid of wave(accounts)) h.emulator.putUser({ accid });
  }

  async function openForm() {
    await h.command('/im-mute', '', ADMIN);
    return h.filledView('moderation_form');
  }

  it('offers a .txt / .csv file beside the Accounts field', async () => {
    await seeded(0);
    const form = await openForm();
    const block = form.blocks.find((b) => b.block_id === 'accountsFile');
    expect(block?.element).toMatchObject({ type: 'file_input', filetypes: ['txt', 'csv'], max_files: 1 });
    expect(block?.optional).toBe(true);
  });

  it('mutes 1,000 accounts from an attached .csv with typed ones folded in: the count confirmed, each muted once', async () => {
    await seeded(1000);
    const rows = ['accid,nickname', ...wave(1000).map((accid) => `${accid},Someone`), 'bad!,x', 'wave7,again'];
    const file = h.slack.putFile('spammers.csv', `${rows.join('\r\n')}\r\n`);
    const form = await openForm();
    const ack = await h.submit(
      form,
      ADMIN,
      { accids: 'wave1 wave2', duration: '24h', reason: 'spam wave' },
      { files: { accountsFile: [file] } },
    );
    const confirm = updatedView(ack, form.id);
    expect(confirm.callback_id).toBe('moderation_batch_confirm');
    expect(blockTexts(confirm)).toMatch(/Mute 1000 accounts everywhere for 24 h/);
    expect(blockTexts(confirm)).toMatch(/1 entry is not an account ID and is left out: `bad!`/);
    expect(h.slack.fileDownloads(file.id)).toBe(1);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(0);

    await h.submit(confirm, ADMIN);
    // Counted where NetEase would see them: every account of the list once (a short wait shows nothing is sent twice).
    const until = Date.now() + 60_000;
    while (h.emulator.count({ endpoint: MUTE }) < 1000 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const per = new Map<string, number>();
    for (const request of h.emulator.received) {
      if (request.endpoint === MUTE) per.set(request.form.accid!, (per.get(request.form.accid!) ?? 0) + 1);
    }
    expect(per.size).toBe(1000);
    expect([...per.values()].every((n) => n === 1)).toBe(true);
  }, 90_000);

  it('refuses a file over the limit, naming the file and the limit, and sends nothing', async () => {
    await seeded(10);
    const big = h.slack.putFile('huge.txt', `${'wave1 '.repeat(100_000)}`);
    const form = await openForm();
    const ack = await h.submit(form, ADMIN, { accids: '', duration: '24h', reason: 'spam' }, { files: { accountsFile: [big] } });
    const answer = ackJson(ack);
    expect(answer.response_action).toBe('errors');
    expect(answer.errors?.accountsFile).toMatch(/huge\.txt.*larger than 512 KB/);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(0);
    expect(h.slack.calls('views.update').some((call) => /moderation_batch_confirm/.test(JSON.stringify(call.args)))).toBe(false);
  });

  it('a few accounts from a .txt take the one confirmation; a wrong entry is said under the file', async () => {
    await seeded(10);
    const good = h.slack.putFile('few.txt', 'wave1\nwave2, wave3\n');
    let form = await openForm();
    const confirm = updatedView(
      await h.submit(form, ADMIN, { accids: '', duration: '1h', reason: 'spam' }, { files: { accountsFile: [good] } }),
      form.id,
    );
    expect(confirm.callback_id).toBe('moderation_confirm');
    expect(blockTexts(confirm)).toMatch(/Mute 3 accounts/);

    const bad = h.slack.putFile('typo.txt', 'wave1 wave2!');
    form = await openForm();
    const ack = await h.submit(form, ADMIN, { accids: '', duration: '1h', reason: 'spam' }, { files: { accountsFile: [bad] } });
    expect(ackJson(ack).errors?.accountsFile).toMatch(/typo\.txt.*wave2!.*not a valid account ID/);
  });

  it('does not send the bot token to a file address off the Slack file host', async () => {
    await seeded(10);
    const file = { ...h.slack.putFile('list.txt', 'wave1'), url_private_download: 'http://127.0.0.2:9/x/list.txt' };
    const form = await openForm();
    const ack = await h.submit(form, ADMIN, { accids: '', duration: '1h', reason: 'spam' }, { files: { accountsFile: [file] } });
    expect(ackJson(ack).errors?.accountsFile).toMatch(/list\.txt.*could not be read from Slack/);
  });
});
