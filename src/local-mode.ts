import { randomBytes } from 'node:crypto';
import { dirname, isAbsolute, join } from 'node:path';
import type { Config, NimSettings } from './config.js';
import type { Emulator } from './emulator/types.js';
import { bannerLines } from './local-banner.js';
import { commands as commandRegistry } from './slack/help/registry.js';
import { LOCAL_WRITER_GROUP, localPeople, localUsergroupHandles, localUsergroups, personNotes } from './local-cast.js';
import type { SimRoute } from './simulator/sim-http.js';
import type { Simulator } from './simulator/simulator.js';
import type { SlackApi } from './simulator/slack-api.js';

/**
 * Local mode: whatever the settings leave out is played on this machine. No NetEase settings → the NetEase emulator
 * with the demo data. No Slack settings → a local Slack Web API plus the browser simulator, served beside the app's
 * `/slack/events` on the app's own port. The app itself is the real one, pointed at these stand-ins.
 *
 * main.ts: `const local = await startLocalParts(settings)`, then use `local.config` as the settings (the writer group
 * and audit channel are filled in), build the app from `local.slack`, `local.nim` with `customRoutes: local.customRoutes`, start it on `config.port` and `local.host`,
 * then `local.connect(appUrl)` and print `local.banner(appUrl, host)`. On shutdown: `local.endPageStreams()`, stop the app,
 * then `local.close()`.
 */

export { LOCAL_WRITER_GROUP, localPeople } from './local-cast.js';
export const LOCAL_AUDIT_CHANNEL = 'C0AUDIT';
export const LOCAL_CHANNEL = 'C0GENERAL';

export const localExamples = [
  '/im-user alice bob',
  '/im-user carol dave',
  '/im-mute-status lina wangfang',
  '/qchat-nick 1513535 alice Alice (mod)',
  '/im-mute wangfang liuyang 1m spam links',
  '/im-block frank',
  '/qchat-member 1513535 alice',
  '/im-user help',
];

/** How the app talks to Slack: the real settings, or the local Slack API with a fresh signing secret. */
export type LocalSlack = { botToken: string; signingSecret: string; appToken?: string; apiUrl?: string };

export type LocalParts = {
  /** The settings as the app should use them: in simulator mode with the writer group and audit channel filled in. */
  config: Config;
  slack: LocalSlack;
  nim: NimSettings & { appKey: string; appSecret: string };
  /** The simulator's page and JSON API, to serve beside /slack/events (Bolt `customRoutes`); none with real Slack. */
  customRoutes: SimRoute[];
  /** Where the app should listen: loopback only when the simulator is on (it lets anyone act as anyone). */
  host: string | undefined;
  /** The running stand-ins, for tests and for the banner. */
  emulator?: Emulator;
  slackApi?: SlackApi;
  simulator?: Simulator;
  /** Tells the simulator where the app's /slack/events is, once the app listens (`http://127.0.0.1:3000`). */
  connect(appUrl: string): void;
  /**
   * What to print at start: where the app listens (`boundHost` as given to start(), default every interface), the
   * page's URL, the demo people, what is real and what is played. No URL: Socket Mode.
   */
  banner(appUrl: string | undefined, boundHost?: string): string;
  /** Ends the page's open event streams: call before stopping the app, whose server waits for open connections. */
  endPageStreams(): void;
  close(): Promise<void>;
};

export type LocalPartsOptions = {
  /** @default Date.now */
  now?: () => number;
};

/**
 * Where local mode's emulator keeps its state, so that NetEase's side survives a restart as the audit trail does:
 * NIM_EMULATOR_STATE, else `emulator-state.json` beside the audit database (`./data/`); undefined for `off` (in memory).
 */
export function emulatorStatePath(config: Config): string | undefined {
  const setting = config.nim.emulatorState;
  if (setting?.toLowerCase() === 'off') return undefined;
  if (setting) return setting;
  const beside = join(dirname(config.audit.dbPath), 'emulator-state.json');
  return isAbsolute(beside) ? beside : `./${beside}`;
}

const withStatePath = (statePath: string | undefined) => (statePath ? { statePath } : {});

export async function startLocalParts(config: Config, options: LocalPartsOptions = {}): Promise<LocalParts> {
  // The stand-ins are imported only when they are played: with real Slack and NetEase, start-up skips their ~30 modules.
  const emulatorModule = config.nim.mode === 'emulator' ? await import('./emulator/server.js') : undefined;
  const emulator = emulatorModule
    ? await emulatorModule.startEmulator({
        apps: [emulatorModule.DEMO_APP],
        ...(options.now ? { now: options.now } : {}),
        ...withStatePath(emulatorStatePath(config)),
      })
    : undefined;
  const nim: LocalParts['nim'] =
    emulatorModule && emulator
      ? { ...config.nim, ...emulatorModule.DEMO_APP, baseUrl: emulator.url }
      : { ...config.nim, appKey: config.nim.appKey ?? '', appSecret: config.nim.appSecret ?? '' };

  if (config.slack.mode === 'workspace') {
    const { botToken, signingSecret, appToken, apiUrl } = config.slack;
    return {
      config,
      slack: { botToken, signingSecret, ...(appToken ? { appToken } : {}), ...(apiUrl ? { apiUrl } : {}) },
      nim,
      customRoutes: [],
      host: undefined,
      ...(emulator ? { emulator } : {}),
      connect: () => {},
      banner: (appUrl, boundHost) => bannerLines(appUrl, config, emulator, undefined, boundHost).join('\n'),
      endPageStreams: () => {},
      close: async () => {
        await emulator?.close();
      },
    };
  }

  const access: Config['access'] = {
    ...config.access,
    writeUsergroups: config.access.writeUsergroups.length > 0 ? config.access.writeUsergroups : [LOCAL_WRITER_GROUP],
  };
  const audit: Config['audit'] = { ...config.audit, channel: config.audit.channel ?? LOCAL_AUDIT_CHANNEL };
  const [{ startSlackApi }, { Workspace }, { createSimulator }, { simPages }, { createSurfaces }] = await Promise.all([
    import('./simulator/slack-api.js'),
    import('./simulator/workspace.js'),
    import('./simulator/simulator.js'),
    import('./simulator/sim-server.js'),
    import('./simulator/surfaces.js'),
  ]);
  const slackApi = await startSlackApi({
    people: localPeople,
    usergroups: localUsergroups(access),
    usergroupHandles: localUsergroupHandles,
    ...(options.now ? { now: options.now } : {}),
  });
  const signingSecret = randomBytes(16).toString('hex');
  const workspace = new Workspace(
    localPeople,
    [
      { id: LOCAL_CHANNEL, name: 'general' },
      { id: audit.channel!, name: 'im-admin-audit', note: "the app's audit channel (AUDIT_CHANNEL): every edit is posted here" },
    ],
    'U0IMADMINBOT',
    options.now,
  );
  const endpoint = { eventsUrl: '', signingSecret };
  const notes = personNotes(access);
  // Slack answers a command the app's manifest does not declare itself (the registry matches the manifest, by test).
  const declared = [...new Set(commandRegistry.map((entry) => entry.name))];
  const simulator = createSimulator({
    workspace,
    slackApi,
    app: endpoint,
    commands: declared,
    // Every command in manifest.yml has should_escape: true (a local-mode test holds the two together).
    escapedCommands: declared,
    usergroupHandles: localUsergroupHandles,
  });
  const surfaces = createSurfaces({ workspace, slackApi, app: endpoint });
  const pages = simPages(simulator, {
    surfaces,
    defaultUser: 'U0ADMIN',
    defaultChannel: LOCAL_CHANNEL,
    examples: localExamples,
    personNotes: notes,
  });

  return {
    config: Object.freeze({ ...config, access: Object.freeze(access), audit: Object.freeze(audit) }),
    slack: { botToken: slackApi.botToken, signingSecret, apiUrl: slackApi.apiUrl },
    nim,
    customRoutes: pages.routes,
    host: '127.0.0.1',
    ...(emulator ? { emulator } : {}),
    slackApi,
    simulator,
    connect: (appUrl) => {
      endpoint.eventsUrl = `${appUrl.replace(/\/$/, '')}/slack/events`;
    },
    banner: (appUrl) =>
      bannerLines(appUrl, { ...config, access, audit }, emulator, {
        people: localPeople,
        notes,
        examples: localExamples,
      }).join('\n'),
    endPageStreams: () => pages.close(),
    close: async () => {
      pages.close();
      simulator.stop();
      await Promise.all([slackApi.close(), emulator?.close()]);
    },
  };
}
