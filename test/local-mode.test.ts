import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config.js';
import { LOCAL_AUDIT_CHANNEL, LOCAL_WRITER_GROUP, startLocalParts, type LocalParts } from '../src/local-mode.js';

describe('local mode: what starts for the settings left out', () => {
  const started: LocalParts[] = [];
  const start = async (env: Record<string, string>) => {
    const parts = await startLocalParts(loadConfig(env));
    started.push(parts);
    return parts;
  };
  afterEach(async () => {
    for (const parts of started.splice(0)) await parts.close();
  });

  it('with no settings: the emulator, the local Slack with a writer user group and an audit channel, and the page', async () => {
    const local = await start({});
    expect(local.nim).toMatchObject({ appKey: 'demo-app-key', baseUrl: local.emulator!.url });
    expect(local.slack.apiUrl).toBe(local.slackApi!.apiUrl);
    expect(local.config.access.writeUsergroups).toEqual([LOCAL_WRITER_GROUP]);
    expect(local.config.audit.channel).toBe(LOCAL_AUDIT_CHANNEL);
    expect(local.host).toBe('127.0.0.1');
    expect(local.customRoutes.map((route) => route.path)).toEqual(expect.arrayContaining(['/', '/sim/events', '/sim/command']));
    const members = await fetch(`${local.slackApi!.apiUrl}usergroups.users.list`, {
      method: 'POST',
      headers: { authorization: `Bearer ${local.slack.botToken}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ usergroup: LOCAL_WRITER_GROUP }),
    }).then((response) => response.json());
    expect(members).toEqual({ ok: true, users: ['U0WRITER'] });
    const banner = local.banner('http://127.0.0.1:3000');
    expect(banner).toContain('http://localhost:3000/');
    for (const id of ['U0OWNER', 'U0ADMIN', 'U0MEMBER', 'U0GUEST', 'U0WRITER', 'U0ZHMEMBER']) expect(banner).toContain(id);
  });

  it('keeps the operator’s own writer groups and audit channel', async () => {
    const local = await start({ IM_WRITE_USERGROUPS: 'S0MINE', AUDIT_CHANNEL: 'C0MINE' });
    expect(local.config.access.writeUsergroups).toEqual(['S0MINE']);
    expect(local.config.audit.channel).toBe('C0MINE');
  });

  it('with only NetEase settings: real NetEase with the simulator, and says so', async () => {
    const local = await start({ NIM_APP_KEY: 'key', NIM_APP_SECRET: 'secret' });
    expect(local.emulator).toBeUndefined();
    expect(local.nim).toMatchObject({ appKey: 'key', baseUrl: 'https://api.netease.im/nimserver' });
    expect(local.slackApi).toBeDefined();
    expect(local.banner('http://127.0.0.1:3000')).toMatch(/NetEase: https:\/\/api\.netease\.im\/nimserver .*real/);
  });

  it('with only Slack settings: real Slack with the emulator, and no simulator page', async () => {
    const local = await start({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'shh' });
    expect(local.slack).toEqual({ botToken: 'xoxb-1', signingSecret: 'shh' });
    expect(local.customRoutes).toEqual([]);
    expect(local.host).toBeUndefined();
    expect(local.emulator).toBeDefined();
    expect(local.config.audit.channel).toBeUndefined();
    expect(local.banner('http://0.0.0.0:3000')).toContain('emulator');
  });

  it('says where the app listens as it binds: every interface, or this machine only', async () => {
    const local = await start({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'shh' });
    const everywhere = local.banner('http://127.0.0.1:3000', '0.0.0.0');
    expect(everywhere).toContain('im-admin listening on every network interface, port 3000 (from this machine: http://127.0.0.1:3000)');
    expect(everywhere).not.toMatch(/listening on http:\/\/127\.0\.0\.1/);
    expect(local.banner('http://127.0.0.1:3000', '127.0.0.1')).toContain('listening on http://127.0.0.1:3000 (this machine only)');
  });

  it("with npm run emulator's settings pasted in: calls it a stand-in on this machine, not real accounts", async () => {
    const pasted = { NIM_BASE_URL: 'http://127.0.0.1:4000', NIM_APP_KEY: 'demo-app-key', NIM_APP_SECRET: 'demo-app-secret' };
    for (const env of [
      pasted,
      { ...pasted, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'shh' },
      { ...pasted, NIM_BASE_URL: 'http://localhost:4000/' },
    ]) {
      const banner = (await start(env)).banner('http://127.0.0.1:3000', '0.0.0.0');
      expect(banner).toMatch(
        /NetEase: http:\/\/(127\.0\.0\.1|localhost):4000\/? \(on this machine: a stand-in such as npm run emulator, not real NetEase accounts\)/,
      );
      expect(banner).not.toContain('real accounts, real changes');
    }
    const real = (
      await start({ NIM_APP_KEY: 'key', NIM_APP_SECRET: 'secret', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'shh' })
    ).banner('http://127.0.0.1:3000');
    expect(real).toContain('NetEase: https://api.netease.im/nimserver (NIM_APP_KEY is set: real accounts, real changes)');
  });

  it('sends @person and #channel as Slack does for each command the manifest declares with should_escape', async () => {
    const local = await start({});
    const arrived: URLSearchParams[] = [];
    const app = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        arrived.push(new URLSearchParams(body));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    try {
      local.connect(`http://127.0.0.1:${(app.address() as AddressInfo).port}`);
      const manifest = parse(readFileSync(new URL('../manifest.yml', import.meta.url), 'utf8')) as {
        features: { slash_commands: { command: string; should_escape?: boolean }[] };
      };
      for (const { command, should_escape: escaped } of manifest.features.slash_commands) {
        await local.simulator!.type('U0ADMIN', 'C0GENERAL', `${command} @ada #general @im-writers`);
        expect([command, arrived.at(-1)?.get('text')]).toEqual([
          command,
          escaped ? '<@U0ADMIN|ada.admin> <#C0GENERAL|general> <!subteam^S0WRITERS|@im-writers>' : '@ada #general @im-writers',
        ]);
      }
    } finally {
      app.close();
    }
  });

  it('names the audit store the settings select: PostgreSQL when AUDIT_DATABASE_URL is set, without its password', async () => {
    const local = await start({ AUDIT_DATABASE_URL: 'postgres://im:hunter2@db.internal:5432/audit' });
    const banner = local.banner('http://127.0.0.1:3000');
    expect(banner).toContain('audit trail: PostgreSQL at db.internal:5432/audit (AUDIT_DATABASE_URL)');
    expect(banner).not.toContain('audit.db');
    expect(banner).not.toContain('hunter2');
    expect((await start({ AUDIT_DB: '/tmp/x/audit.db' })).banner('http://127.0.0.1:3000')).toContain(
      'audit trail: /tmp/x/audit.db (AUDIT_DB)',
    );
  });

  it('says what each demo person may do under the settings in force, every one of them listed', async () => {
    const lineOf = (banner: string, id: string) => banner.split('\n').find((line) => line.includes(id)) ?? '';
    const banner = (await start({})).banner('http://127.0.0.1:3000');
    for (const id of ['U0PRIMARY', 'U0OWNER', 'U0ADMIN']) expect(lineOf(banner, id)).toMatch(/may look up, edit cards and moderate/);
    expect(lineOf(banner, 'U0WRITER')).toMatch(/@im-writers \(S0WRITERS\): may look up, edit cards$/);
    expect(lineOf(banner, 'U0MEMBER')).toMatch(/may look up, may not edit or moderate/);
    expect(lineOf(banner, 'U0ZHMEMBER')).toMatch(/zh-CN.*may look up, may not edit or moderate/);
    expect(lineOf(banner, 'U0GUEST')).toMatch(/refused, even for looking up \(a guest\)/);
    expect(lineOf(banner, 'U0GONE')).toMatch(/refused, even for looking up \(deactivated\)/);

    const stricter = (await start({ IM_MODERATE_MIN_ROLE: 'owner', IM_READ_MIN_ROLE: 'admin' })).banner('http://127.0.0.1:3000');
    expect(lineOf(stricter, 'U0ADMIN')).toMatch(/may look up, edit cards$/);
    expect(lineOf(stricter, 'U0OWNER')).toMatch(/edit cards and moderate/);
    expect(lineOf(stricter, 'U0MEMBER')).toMatch(/refused, even for looking up \(below IM_READ_MIN_ROLE\)/);
  });

  describe("the emulator's state, kept beside the audit trail", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'local-mode-state-'));
    });
    afterEach(async () => {
      // Closed before the folder goes: closing writes the state's pending changes.
      for (const parts of started.splice(0)) await parts.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('survives a restart, as the audit trail does, and the banner says where it is', async () => {
      const env = { AUDIT_DB: join(dir, 'audit.db') };
      const first = await start(env);
      expect(first.banner('http://127.0.0.1:3000')).toContain(`State: kept in ${join(dir, 'emulator-state.json')} across restarts`);
      first.emulator!.putUser({ ...first.emulator!.getUser('alice')!, name: 'Alice After Restart' });
      await first.close();
      started.splice(started.indexOf(first), 1);

      const second = await start(env);
      expect(second.emulator!.getUser('alice')?.name).toBe('Alice After Restart');
    });

    it('is kept in memory only with NIM_EMULATOR_STATE=off', async () => {
      const local = await start({ AUDIT_DB: join(dir, 'audit.db'), NIM_EMULATOR_STATE: 'off' });
      local.emulator!.putUser({ ...local.emulator!.getUser('alice')!, name: 'Forgotten' });
      await local.close();
      started.splice(started.indexOf(local), 1);
      expect(existsSync(join(dir, 'emulator-state.json'))).toBe(false);
      expect(local.banner('http://127.0.0.1:3000')).toContain('State: in memory only (NIM_EMULATOR_STATE=off)');
    });

    it('warns, in the second of two local-mode processes on one data folder, that they do not share NetEase', async () => {
      const env = { AUDIT_DB: join(dir, 'audit.db') };
      const first = await start(env);
      expect(first.banner('http://127.0.0.1:3000')).toContain("This emulator is this process's own: another npm start runs its own");
      const second = (await start(env)).banner('http://127.0.0.1:3001');
      expect(second).toContain(`Warning: another local-mode process (pid ${process.pid}) keeps ${join(dir, 'emulator-state.json')}`);
      expect(second).toContain('run npm run emulator once and point each at it with NIM_BASE_URL');
    });
  });
});
