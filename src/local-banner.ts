import type { Config } from './config.js';
import type { Emulator } from './emulator/types.js';
import type { FakePerson } from './simulator/people.js';
import { isLoopback } from './simulator/sim-http.js';

const roleNames: Record<string, string> = {
  primary_owner: 'Primary Owner',
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
  guest: 'Guest',
  single_channel_guest: 'Single-channel guest',
  deactivated: 'Deactivated',
};

/** The demo people local mode plays, with a note each, and the commands to try first. */
export type DemoCast = { people: readonly FakePerson[]; notes: Record<string, string>; examples: readonly string[] };

/**
 * What `npm start` prints: with real Slack, where the app listens (`boundHost`, as given to start()) and which NetEase
 * it calls; in local mode, the simulator page, the demo people, and what is real and what is played.
 */
export function bannerLines(
  appUrl: string | undefined,
  config: Config,
  emulator: Emulator | undefined,
  demo: DemoCast | undefined,
  boundHost = '0.0.0.0',
): string[] {
  if (!demo) {
    const lines = [appUrl ? listeningLine(appUrl, boundHost) : 'im-admin connected to Slack in Socket Mode'];
    if (emulator) {
      lines.push(`Local mode: NetEase is played by the emulator with the demo data at ${emulator.url} (no NIM_* settings)`);
      lines.push(...emulatorStateLines(emulator).map((line) => `  ${line}`));
    } else lines.push(netEaseLine(config.nim.baseUrl));
    return lines;
  }
  const port = appUrl ? new URL(appUrl).port : String(config.port);
  const lines = ['', 'im-admin is running in local mode.', ''];
  lines.push(`  Open http://localhost:${port}/ : a Slack simulator. Pick who you are, then type a command.`, '');
  lines.push('  Slack: simulated (no SLACK_* settings). Demo people:');
  for (const person of demo.people.filter((p) => p.role !== 'bot')) {
    const note = demo.notes[person.id];
    lines.push(
      `    ${person.id.padEnd(11)} ${person.name.padEnd(20)} ${(roleNames[person.role] ?? person.role).padEnd(21)}${note ? ` ${note}` : ''}`,
    );
  }
  lines.push(`  Audit channel: #im-admin-audit (${config.audit.channel ?? '—'}); audit trail: ${auditStoreText(config.audit)}`);
  lines.push(
    emulator ? `  NetEase: emulator with the demo data (no NIM_* settings) at ${emulator.url}` : `  ${netEaseLine(config.nim.baseUrl)}`,
  );
  if (emulator) {
    lines.push('    Demo accids: alice bob carol dave eve zhangwei lina wangfang liuyang chenjing zhaolei · QChat server 1513535');
    lines.push(...emulatorStateLines(emulator).map((line) => `    ${line}`));
  }
  lines.push(`  Try: ${demo.examples.slice(0, 3).join('  ·  ')}`, '');
  return lines;
}

/**
 * Where the app listens, as bound: every interface (reachable from other machines, as a deployment needs) or this
 * machine only, with the address to use from this machine.
 */
function listeningLine(appUrl: string, boundHost: string): string {
  const port = new URL(appUrl).port;
  const where = ['0.0.0.0', '::', ''].includes(boundHost)
    ? `every network interface, port ${port} (from this machine: ${appUrl})`
    : `${appUrl} (${isLoopback(boundHost) ? 'this machine only' : boundHost})`;
  return `im-admin listening on ${where}. Slack requests on /slack/events, health on /healthz`;
}

/**
 * Which NetEase the app calls. A base URL on this machine is a stand-in (`npm run emulator`'s settings pasted in), not
 * NetEase, whatever key is set: saying "real accounts" there would be wrong.
 */
function netEaseLine(baseUrl: string): string {
  return isLoopback(new URL(baseUrl).hostname)
    ? `NetEase: ${baseUrl} (on this machine: a stand-in such as npm run emulator, not real NetEase accounts)`
    : `NetEase: ${baseUrl} (NIM_APP_KEY is set: real accounts, real changes)`;
}

/**
 * The audit store the settings select, as the app will open it: PostgreSQL when AUDIT_DATABASE_URL is set (named by
 * host and database, never with its password), else the SQLite file at AUDIT_DB.
 */
export function auditStoreText(audit: Config['audit']): string {
  if (audit.databaseUrl === undefined) return `${audit.dbPath} (AUDIT_DB)`;
  try {
    const url = new URL(audit.databaseUrl);
    return `PostgreSQL at ${url.host || 'a local socket'}${url.pathname} (AUDIT_DATABASE_URL)`;
  } catch {
    return 'PostgreSQL (AUDIT_DATABASE_URL)';
  }
}

/**
 * Where the emulator's state lives, and that it is this process's own: a second local-mode process runs another
 * emulator, so two `npm start` never share NetEase's side (replicas share one `npm run emulator` instead).
 */
function emulatorStateLines(emulator: Emulator): string[] {
  const file = emulator.stateFile;
  const own = [
    "This emulator is this process's own: another npm start runs its own, with other state.",
    'For replicas, run npm run emulator once and point each at it with NIM_BASE_URL (README, local mode).',
  ];
  if (!file) return ['State: in memory only (NIM_EMULATOR_STATE=off), lost at exit.', ...own];
  if (file.kept) return [`State: kept in ${file.path} across restarts (NIM_EMULATOR_STATE=off: in memory only).`, ...own];
  return [
    `Warning: another local-mode process (pid ${file.heldBy ?? '?'}) keeps ${file.path}; this emulator's state is in`,
    "memory only, lost at exit, and neither sees the other's changes.",
    own[1]!,
  ];
}
