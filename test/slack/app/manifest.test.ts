import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** Slack's own manifest schema, copied with its licence into test/fixtures (a clone has no ../shared). */
const fixtures = new URL('../../fixtures/slack-manifest-schema/', import.meta.url);
const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, fixtures), 'utf8')) as object;
const remote = 'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/';
// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped once more.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv,
) => Ajv;

function validator() {
  // Slack's schema uses a non-standard `regex` keyword; strict mode would refuse to compile it.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema(readJson('schemas/manifest.schema.1.0.0.json'), `${remote}manifest.schema.1.0.0.json`);
  ajv.addSchema(readJson('schemas/manifest.schema.2.0.0.json'), `${remote}manifest.schema.2.0.0.json`);
  return ajv.compile(readJson('manifest.schema.json'));
}

type Parameters = { properties: Record<string, { type: string }>; required?: string[] };
type Manifest = {
  _metadata: { major_version: number };
  features: {
    slash_commands: { command: string; url?: string; should_escape?: boolean }[];
    app_home?: { home_tab_enabled?: boolean };
    shortcuts?: { name: string; type: string; callback_id: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled?: boolean;
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    org_deploy_enabled?: boolean;
    function_runtime?: string;
  };
  functions?: Record<string, { title: string; input_parameters: Parameters; output_parameters: Parameters }>;
};
const load = (file: string) => parse(readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8')) as Manifest;

describe('manifest.yml', () => {
  const validate = validator();

  it.each(['manifest.yml', 'manifest.socket-mode.yml'])("%s is valid against Slack's manifest schema", (file) => {
    const valid = validate(load(file));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("the validator agrees with Slack's own valid and invalid examples", () => {
    expect(validate(readJson('manifest.valid.json'))).toBe(true);
    expect(validate(readJson('manifest.invalid.json'))).toBe(false);
    expect(
      validate({ display_information: { name: 'x' }, features: { slash_commands: [{ command: 'no-slash', description: 'd' }] } }),
    ).toBe(false);
  });

  it('declares every command, escaped, on /slack/events, with interactivity there too', () => {
    const manifest = load('manifest.yml');
    const commands = manifest.features.slash_commands;
    expect(commands.map((c) => c.command)).toEqual([
      '/im-user',
      '/im-mute-status',
      '/qchat-nick',
      '/qchat-member',
      '/im-mute',
      '/im-unmute',
      '/im-block',
      '/im-unblock',
      '/im-audit',
    ]);
    for (const command of commands) {
      expect(command.should_escape).toBe(true);
      expect(command.url).toMatch(/^https:\/\/.+\/slack\/events$/);
    }
    expect(manifest.settings.interactivity).toMatchObject({ is_enabled: true, request_url: commands[0]!.url });
  });

  it.each(['manifest.yml', 'manifest.socket-mode.yml'])('%s asks for exactly the bot scopes the app uses', (file) => {
    // channels:history / groups:history: the audit channel's history, to find a message a crashed process posted.
    const scopes = ['chat:write', 'chat:write.public', 'commands', 'files:read', 'im:write', 'usergroups:read', 'users:read'];
    expect(load(file).oauth_config.scopes.bot.sort()).toEqual([...scopes, 'channels:history', 'groups:history'].sort());
  });

  it('the Socket Mode variant has no URLs and socket mode on', () => {
    const manifest = load('manifest.socket-mode.yml');
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(manifest)).not.toMatch(/https?:/);
  });

  it.each(['manifest.yml', 'manifest.socket-mode.yml'])(
    '%s turns on the Home tab, both shortcuts, and the three Workflow Builder steps as remote functions',
    (file) => {
      const manifest = load(file);
      // Functions (custom steps) exist only in the version 2 format.
      expect(manifest._metadata.major_version).toBe(2);
      expect(manifest.features.app_home?.home_tab_enabled).toBe(true);
      expect(manifest.features.shortcuts?.map(({ type, callback_id }) => [type, callback_id])).toEqual([
        ['message', 'lookup_im_accounts'],
        ['global', 'mute_im_accounts'],
      ]);
      expect(manifest.settings.event_subscriptions?.bot_events).toEqual(['app_home_opened', 'function_executed']);
      expect(manifest.settings).toMatchObject({ org_deploy_enabled: true, function_runtime: 'remote' });
      const functions = manifest.functions ?? {};
      expect(Object.keys(functions)).toEqual(['lookup_im_account', 'mute_im_accounts', 'block_im_account']);
      for (const step of Object.values(functions)) {
        // The acting person: their role and groups are checked as for commands.
        expect(step.input_parameters.properties.user_context?.type).toBe('slack#/types/user_context');
        expect(step.input_parameters.required).toContain('user_context');
        for (const name of step.input_parameters.required ?? []) expect(step.input_parameters.properties).toHaveProperty(name);
        for (const name of step.output_parameters.required ?? []) expect(step.output_parameters.properties).toHaveProperty(name);
      }
    },
  );

  it('sends events to the same address as commands over HTTP; both variants declare the same steps', () => {
    const http = load('manifest.yml');
    expect(http.settings.event_subscriptions?.request_url).toBe(http.features.slash_commands[0]!.url);
    expect(load('manifest.socket-mode.yml').functions).toEqual(http.functions);
    expect(load('manifest.socket-mode.yml').features.shortcuts).toEqual(http.features.shortcuts);
  });
});
