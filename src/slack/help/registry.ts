import type { Permission } from '../../policy/permissions.js';
import type { Messages } from '../i18n/catalog.js';

/**
 * Every slash command the app answers, in the order `help` lists them: the one place a command is registered for the
 * help answer. To add a command: add an entry here (its name, the permission it needs, its texts), add those texts to
 * both catalogs (`help.commands` in src/slack/i18n/en.ts and zh-cn.ts), declare it in manifest.yml and
 * manifest.socket-mode.yml, and answer `help` with `answerHelp` (src/slack/help/answer.ts).
 * test/slack/help/registry.test.ts fails while a command in the manifest is missing here, or the other way round.
 */

/** What a command needs: one permission of src/policy, or either of editing and moderating (the audit history). */
export type HelpPermission = Permission | 'edit_or_moderate';

export type CommandHelp = {
  /** How to type it, placeholders in the reader's language, e.g. `/im-user <account ID…>`. */
  usage: string;
  /** What it does, one sentence. */
  summary: string;
};

export type CommandEntry = {
  /** The slash command as declared in manifest.yml. */
  name: `/${string}`;
  /** What the person must be allowed to do, as src/policy decides it; the help says it under this deployment's settings. */
  permission: HelpPermission;
  /** What one types, the same in every language. */
  examples: readonly string[];
  /** Its line in the help answer, in the reader's language. */
  help: (m: Messages) => CommandHelp;
  /**
   * The longer explanation shown first when `help` is typed after this very command (its first entry's).
   * @default its usage as the title and its summary as the body
   */
  detail?: (m: Messages) => { title: string; body: string };
};

/**
 * One entry per line of the help answer. A command with a part that needs more (`/im-user edit` needs the edit
 * permission) has a second line: `help` there is that part's text.
 */
export const commands = [
  {
    name: '/im-user',
    permission: 'read',
    examples: ['/im-user alice', '/im-user alice bob, carol', '/im-user help'],
    help: (m) => m.help.commands.imUser,
    detail: (m) => ({ title: m.usage.imUserTitle, body: m.usage.imUserBody }),
  },
  {
    name: '/im-user',
    permission: 'write',
    examples: ['/im-user edit alice'],
    help: (m) => m.help.commands.imUserEdit,
  },
  {
    name: '/im-mute-status',
    permission: 'read',
    examples: ['/im-mute-status alice', '/im-mute-status alice, bob'],
    help: (m) => m.help.commands.imMuteStatus,
    detail: (m) => ({ title: m.usage.muteStatusTitle, body: m.usage.muteStatusBody }),
  },
  {
    name: '/qchat-nick',
    permission: 'write',
    examples: ['/qchat-nick 1234567890 alice Big Fish', '/qchat-nick 1234567890'],
    help: (m) => m.help.commands.qchatNick,
    detail: (m) => ({ title: m.usage.qchatNickTitle, body: m.usage.qchatNickBody }),
  },
  {
    name: '/qchat-member',
    permission: 'read',
    examples: ['/qchat-member 1234567890 alice'],
    help: (m) => m.help.commands.qchatMember,
    detail: (m) => ({ title: m.usage.qchatMemberTitle, body: m.usage.qchatMemberBody }),
  },
  {
    name: '/im-mute',
    permission: 'moderate',
    examples: ['/im-mute spam01 spam02 24h spam links', '/im-mute spam01 forever impersonating staff', '/im-mute spam01'],
    help: (m) => m.help.commands.imMute,
    detail: (m) => ({ title: m.moderation.usageTitle('/im-mute'), body: m.moderation.usageBody.mute }),
  },
  {
    name: '/im-unmute',
    permission: 'moderate',
    examples: ['/im-unmute spam01 spam02'],
    help: (m) => m.help.commands.imUnmute,
    detail: (m) => ({ title: m.moderation.usageTitle('/im-unmute'), body: m.moderation.usageBody.unmute }),
  },
  {
    name: '/im-block',
    permission: 'moderate',
    examples: ['/im-block spam01 spam02'],
    help: (m) => m.help.commands.imBlock,
    detail: (m) => ({ title: m.moderation.usageTitle('/im-block'), body: m.moderation.usageBody.block }),
  },
  {
    name: '/im-unblock',
    permission: 'moderate',
    examples: ['/im-unblock spam01'],
    help: (m) => m.help.commands.imUnblock,
    detail: (m) => ({ title: m.moderation.usageTitle('/im-unblock'), body: m.moderation.usageBody.unblock }),
  },
  {
    name: '/im-audit',
    permission: 'edit_or_moderate',
    examples: ['/im-audit alice', '/im-audit @jane'],
    help: (m) => m.help.commands.imAudit,
  },
] as const satisfies readonly CommandEntry[];

export type CommandName = (typeof commands)[number]['name'];

/** Every entry of a command, main line first. */
export function entriesOf(name: string): CommandEntry[] {
  return commands.filter((entry) => entry.name === name);
}
