import type { Role } from '../config.js';

/** What the app knows of a Slack person, from users.info (see src/policy for the cached directory). */
export type SlackPerson = {
  id: string;
  isAdmin: boolean;
  isOwner: boolean;
  isPrimaryOwner: boolean;
  /** A multi-channel guest. */
  isRestricted: boolean;
  /** A single-channel guest. */
  isUltraRestricted: boolean;
  deleted: boolean;
  isBot: boolean;
  /** Slack locale, e.g. 'zh-CN', 'en-US'; absent when Slack did not say. */
  locale?: string;
  /**
   * Not of the workspace the app is installed in, nor of its Enterprise Grid org (users.info's `team_id` and
   * `enterprise_user.enterprise_id`): a person of another workspace (a shared channel, Slack Connect) may do nothing.
   */
  otherTeam?: boolean;
};

/** Why a person may not do something. Rendered for the person, and audited for updates. */
export type Refusal =
  | { reason: 'guest' | 'single_channel_guest' | 'bot' | 'deactivated' }
  /** Of another workspace or org than the one the app is installed in. */
  | { reason: 'other_team' }
  /** Slack could not tell who the person is (users.info failed): fail closed. */
  | { reason: 'unknown_person' }
  /** Reading needs at least this role. */
  | { reason: 'below_read_role'; required: Role }
  /** Updating needs this role, or membership of one of these user groups, or being listed by id. */
  | { reason: 'not_a_writer'; required: Role; usergroups: readonly string[] }
  /** Muting and blocking needs this role, or membership of one of these user groups, or being listed by id. */
  | { reason: 'not_a_moderator'; required: Role; usergroups: readonly string[] }
  /** The account is in IM_PROTECTED_ACCIDS: never muted or blocked from Slack. */
  | { reason: 'protected_account'; accids: readonly string[] }
  /** A modal submitted by someone other than who opened it, or with altered private_metadata. */
  | { reason: 'tampered_submission' };

export type Decision = { allowed: true } | { allowed: false; refusal: Refusal };
