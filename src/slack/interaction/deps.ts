import type { ApprovalPolicy, ApprovalStore } from '../../approval/index.js';
import type { AuditTrail } from '../../audit/index.js';
import type { Config } from '../../config.js';
import type { AppLogger } from '../../logger.js';
import type { Metrics } from '../../metrics/registry.js';
import type { BatchService } from '../../moderation/batch/batch-service.js';
import type { ModerationNim } from '../../moderation/execute.js';
import type { LiftSchedule } from '../../moderation/scheduler.js';
import type { ServerMemberResult, ServerMemberWriteOptions } from '../../nim/qchat.js';
import type { MemberRead } from '../../nim/qchat-members.js';
import type { ServerMemberUpdate, UserCardChanges, UserLookup, WriteResult } from '../../nim/types.js';
import type { Directory } from '../../policy/directory.js';
import type { AttachedFileReader } from './attached-file.js';
import type { MetadataKey } from './sealed-metadata.js';

/**
 * What the listeners are given, built once by the composition root (src/compose.ts) and never changed after: the read
 * side's parts, and, with an audit trail, the update side's. A feature narrows these to what it uses.
 */

/** The part of the NetEase client the read side uses. */
export type NimReader = {
  getUinfos(
    accids: readonly string[],
    options?: { muteStatus?: boolean; correlationId?: string; allowCached?: boolean },
  ): Promise<UserLookup>;
  getServerMember(query: { serverId: string; accid: string }, options?: { correlationId?: string }): Promise<MemberRead>;
};

/** What every feature reads with. */
export type ReadDeps = {
  nim: NimReader;
  directory: Directory;
  access: Config['access'];
  logger: AppLogger;
  /** Logs who looked at whom (the audit log, under the command's correlation id); rejects when it cannot, and then nothing is shown. */
  recordLookup?: (lookup: { actor: string; command: string; accids: string[]; serverId?: string; correlationId?: string }) => Promise<void>;
  /** Counts refusals and command outcomes (GET /metrics). */
  metrics?: Pick<Metrics, 'refused' | 'commandHandled'>;
  /** The update side is wired (an audit trail exists): help lists the update commands, writers get "Edit card". */
  writeEnabled: boolean;
};

/** The part of the NetEase client the update side uses. */
export type NimWriter = NimReader &
  ModerationNim & {
    updateUinfo(accid: string, changes: UserCardChanges, options?: { correlationId?: string }): Promise<WriteResult>;
    updateServerMember(update: ServerMemberUpdate, options?: ServerMemberWriteOptions): Promise<ServerMemberResult>;
  };

export type WriteDeps = Omit<ReadDeps, 'nim'> & {
  nim: NimWriter;
  trail: AuditTrail;
  /** Seals modal private_metadata. */
  metadataKey: MetadataKey;
  /** QCHAT_OPERATOR_ACCID: QChat member cards change through the admin endpoint as this operator. */
  qchatOperatorAccid?: string;
  /** Epoch ms, for when a timed sanction lifts. @default Date.now */
  now?: () => number;
  /**
   * Where timed mutes are scheduled to lift (the audit store's schedule). Absent while the audit trail keeps no
   * schedule: a timed mute is then said plainly not to lift by itself.
   */
  liftSchedule?: LiftSchedule;
  /**
   * Actions on more than one account run as batches (one audit channel message each): in the background with Stop
   * beyond what one confirmation carries, while the person waits for the report below that.
   */
  batches: BatchService;
  /** IM_BULK_MAX: at most this many accounts per action. @default 1000 */
  bulkMax?: number;
  /** Reads a list a person attached to the moderation form (with batches: the form then offers a file_input). */
  readAttachedFile?: AttachedFileReader;
  /** IM_APPROVAL_FOR names an action: what needs a second person, where requests are posted, how long they wait. */
  approvals?: Approvals;
};

export type Approvals = {
  policy: ApprovalPolicy;
  /** The audit store's approval requests (shared by replicas, kept across restarts). */
  store: ApprovalStore;
  /** IM_APPROVAL_MINUTES. */
  minutes: number;
  /** IM_APPROVAL_CHANNEL, else the audit channel. */
  channel: string;
  /** How often requests past their time are looked for, in ms. @default 30000 */
  expiryEveryMs?: number;
};
