import pLimit, { type LimitFunction } from 'p-limit';
import type { Dispatcher } from 'undici';
import type { NimSettings } from '../config.js';
import { NimCaller, type NimCallEvent, type NimLogger } from './call.js';
import { CardReads, type CardSource } from './card-reads.js';
import { planLookup, mergeLookup } from './lookup-plan.js';
import { blockAccount, type BlockOptions, type ModuleMuteResult, setGlobalMute, setModuleMutes, unblockAccount } from './moderation.js';
import { type ServerMemberResult, type ServerMemberWriteOptions, updateServerMember } from './qchat.js';
import { getServerMember, type MemberRead } from './qchat-members.js';
import { LocalRateBudget } from './budget/local.js';
import type { RateBudget } from './budget/contract.js';
import { defaultRetryPolicy, type RetryPolicy } from './retry.js';
import { Transport } from './transport.js';
import type { ModuleMutes, ServerMemberUpdate, UserCardChanges, UserLookup, WriteResult } from './types.js';
import { getUinfos, type GetUinfosOptions, updateUinfo } from './users.js';

export type NimClientOptions = {
  appKey: string;
  appSecret: string;
  /** e.g. https://api.netease.im/nimserver */
  baseUrl: string;
  /** Used when the base URL refuses connections (not on timeouts). */
  backupBaseUrl?: string;
  /** Per attempt, in ms. @default 5000 */
  timeoutMs?: number;
  /** Shared by every caller in the process. @default new LocalRateBudget({ ratePerSecond: rateLimit ?? 90 }) */
  rateBudget?: RateBudget;
  /** Calls per rolling second for the default budget. @default 90 */
  rateLimit?: number;
  /** For reads; writes are never repeated. @default defaultRetryPolicy */
  retryPolicy?: RetryPolicy;
  /** Attempts in flight at once per endpoint (p-limit). @default 16 */
  concurrency?: number;
  /** Milliseconds since the epoch, for CurTime. @default Date.now */
  now?: () => number;
  /** @default 32 random hex characters */
  nonce?: () => string;
  /** The RequestId header of each write (NetEase de-duplicates by it). @default 32 random hex characters */
  newRequestId?: () => string;
  /** @default a keep-alive undici Agent, closed by close() */
  dispatcher?: Dispatcher;
  /** pino-shaped; never given a secret. */
  logger?: NimLogger;
  /** Called after every attempt that reached the transport (for metrics). */
  onCall?: (event: NimCallEvent) => void;
  /** For backoff jitter. @default Math.random */
  random?: () => number;
  /**
   * How long a card read for a person's lookup may answer the same lookup again, in ms; the app's own writes drop it
   * at once. 0 keeps none (identical lookups in flight still share one call). @default 0
   */
  cardCacheMs?: number;
  /** Called once per shareable lookup: how many of its accounts came from the cache, a call in flight, or NetEase. */
  onCardRead?: (counts: Readonly<Record<CardSource, number>>) => void;
};

/** The NetEase Yunxin IM server API client: signed, paced, retried, typed. */
export class NimClient {
  /** The shared budget, for metrics. */
  readonly rateBudget: RateBudget;
  private readonly transport: Transport;
  private readonly caller: NimCaller;
  private readonly ownsBudget: boolean;
  private readonly cardReads: CardReads;

  constructor(options: NimClientOptions) {
    this.ownsBudget = options.rateBudget === undefined;
    this.cardReads = new CardReads({
      ttlMs: options.cardCacheMs ?? 0,
      ...(options.onCardRead === undefined ? {} : { onRead: options.onCardRead }),
    });
    this.rateBudget = options.rateBudget ?? new LocalRateBudget({ ratePerSecond: options.rateLimit ?? 90 });
    this.transport = new Transport({
      baseUrl: options.baseUrl,
      ...(options.backupBaseUrl === undefined ? {} : { backupBaseUrl: options.backupBaseUrl }),
      timeoutMs: options.timeoutMs ?? 5000,
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    });
    this.caller = new NimCaller({
      appKey: options.appKey,
      appSecret: options.appSecret,
      transport: this.transport,
      rateBudget: this.rateBudget,
      limitFor: limiterPerEndpoint(options.concurrency ?? 16),
      retryPolicy: options.retryPolicy ?? defaultRetryPolicy,
      now: options.now ?? Date.now,
      ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
      ...(options.newRequestId === undefined ? {} : { newRequestId: options.newRequestId }),
      random: options.random ?? Math.random,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.onCall === undefined ? {} : { onCall: options.onCall }),
    });
  }

  /**
   * Cards for any number of accids, in the caller's order; accids NetEase did not return are in `notFound`. Asked
   * from NetEase every time, unless `allowCached`: then a card read moments ago, or being read for someone else right
   * now, answers (CardReads).
   */
  async getUinfos(accids: readonly string[], options: GetUinfosOptions & { allowCached?: boolean } = {}): Promise<UserLookup> {
    const { allowCached, ...read } = options;
    if (!allowCached) return getUinfos(this.caller, accids, read);
    const { unique } = planLookup(accids);
    const variant = read.muteStatus ? 'muteStatus' : 'card';
    const cards = await this.cardReads.read(unique, variant, async (missing) => (await getUinfos(this.caller, missing, read)).found);
    return mergeLookup(unique, cards);
  }

  /** Changes a user card. Absent fields are kept, '' clears one. Throws InputError before any call. */
  updateUinfo(accid: string, changes: UserCardChanges, options?: { correlationId?: string }): Promise<WriteResult> {
    return this.writing(accid, () => updateUinfo(this.caller, accid, changes, options));
  }

  /**
   * Changes a member's card in one QChat server (as the member itself, or as `operatorAccid`); returns the card
   * NetEase stored.
   */
  updateServerMember(update: ServerMemberUpdate, options?: ServerMemberWriteOptions): Promise<ServerMemberResult> {
    return updateServerMember(this.caller, update, options);
  }

  /** One member's card in one QChat server (qchat/getServerMemberListPage.action). */
  getServerMember(query: { serverId: string; accid: string }, options?: { correlationId?: string }): Promise<MemberRead> {
    return getServerMember(this.caller, query, options);
  }

  /** user/mute.action: mutes (true) or unmutes `accid` everywhere. */
  setGlobalMute(accid: string, mute: boolean, options?: { correlationId?: string }): Promise<WriteResult> {
    return this.writing(accid, () => setGlobalMute(this.caller, accid, mute, options));
  }

  /** user/muteModule.action: sets the named module flags; returns all four as NetEase reports them. */
  setModuleMutes(accid: string, modules: ModuleMutes, options?: { correlationId?: string }): Promise<ModuleMuteResult> {
    return this.writing(accid, () => setModuleMutes(this.caller, accid, modules, options));
  }

  /** user/block.action. An unknown accid throws NimAccountNotFoundError. */
  blockAccount(accid: string, block?: BlockOptions, options?: { correlationId?: string }): Promise<WriteResult> {
    return this.writing(accid, () => blockAccount(this.caller, accid, block, options));
  }

  /** user/unblock.action. */
  unblockAccount(accid: string, options?: { correlationId?: string }): Promise<WriteResult> {
    return this.writing(accid, () => unblockAccount(this.caller, accid, options));
  }

  /** Runs a write to `accid` with its cached cards dropped before and after (CardReads.beginWrite). */
  private async writing<T>(accid: string, write: () => Promise<T>): Promise<T> {
    const end = this.cardReads.beginWrite(accid);
    try {
      return await write();
    } finally {
      end();
    }
  }

  /** Closes connections, and the budget if the client made it. */
  async close(): Promise<void> {
    await this.transport.close();
    if (this.ownsBudget) await this.rateBudget.close();
  }

  /** Never shows the AppSecret, even to util.inspect or JSON.stringify of the client. */
  toJSON(): object {
    return { name: 'NimClient' };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'NimClient {}';
  }
}

export type NimClientDeps = Partial<
  Pick<NimClientOptions, 'rateBudget' | 'retryPolicy' | 'concurrency' | 'now' | 'nonce' | 'dispatcher' | 'logger' | 'onCall' | 'onCardRead'>
>;

/** Builds the client from the validated settings (config.ts) plus credentials. */
export function createNimClient(settings: NimSettings & { appKey: string; appSecret: string }, deps: NimClientDeps = {}): NimClient {
  return new NimClient({
    ...deps,
    appKey: settings.appKey,
    appSecret: settings.appSecret,
    baseUrl: settings.baseUrl,
    ...(settings.backupBaseUrl === undefined ? {} : { backupBaseUrl: settings.backupBaseUrl }),
    timeoutMs: settings.timeoutMs,
    rateLimit: settings.rateLimit,
    ...(settings.cardCacheMs === undefined ? {} : { cardCacheMs: settings.cardCacheMs }),
  });
}

/** One p-limit per endpoint, made on first use (there are a handful of endpoints). */
function limiterPerEndpoint(concurrency: number): (endpoint: string) => LimitFunction {
  const limits = new Map<string, LimitFunction>();
  return (endpoint) => {
    let limit = limits.get(endpoint);
    if (!limit) limits.set(endpoint, (limit = pLimit(concurrency)));
    return limit;
  };
}
