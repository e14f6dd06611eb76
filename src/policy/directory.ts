import { z } from 'zod';
import type { SlackPerson } from './types.js';
import { ImAdminError } from '../errors.js';

/**
 * Who people are in Slack (users.info), who is in a user group (usergroups.users.list) and what the groups are called
 * (usergroups.list), cached for at most a minute so a role change takes effect quickly. Concurrent asks for the same
 * key share one call; a failure is not cached. A `fresh` ask (the re-check when a change is submitted or confirmed)
 * never takes a cached or in-flight answer: a role removed a second ago must count; its answer refreshes the cache.
 * Slack-free: the calls come through a `PeopleSource` (the Slack side adapts the WebClient).
 */

export interface PeopleSource {
  /** The `user` object of users.info, asked with include_locale=true. */
  userInfo(userId: string): Promise<unknown>;
  /** The member ids of a user group. */
  usergroupMembers(groupId: string): Promise<readonly string[]>;
  /** The workspace's user groups (usergroups.list): their ids and handles, for naming them to people. */
  usergroups(): Promise<readonly { id: string; handle: string }[]>;
}

/** Slack could not say who someone is, or who is in a group. The caller fails closed. */
export class DirectoryError extends ImAdminError {
  readonly code = 'directory_error';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DirectoryError';
  }
}

/** Where the app is installed (auth.test): people of other workspaces and orgs are refused. */
export type Installation = { teamId?: string; enterpriseId?: string };

export type DirectoryOptions = {
  source: PeopleSource;
  /**
   * The installed workspace and its org, asked when a person is first looked up; when it cannot be established the
   * person is not either (DirectoryError: fail closed). Without it nobody is marked as of another team.
   */
  installation?: () => Promise<Installation>;
  /** How long an answer is trusted, in ms; capped at 60,000. @default 60000 */
  ttlMs?: number;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** Entries kept per cache before expired ones are swept. @default 10000 */
  maxEntries?: number;
};

const MAX_TTL_MS = 60_000;

const slackUserSchema = z.object({
  id: z.string(),
  deleted: z.boolean().optional(),
  is_admin: z.boolean().optional(),
  is_owner: z.boolean().optional(),
  is_primary_owner: z.boolean().optional(),
  is_restricted: z.boolean().optional(),
  is_ultra_restricted: z.boolean().optional(),
  is_bot: z.boolean().optional(),
  locale: z.string().optional(),
  team_id: z.string().optional(),
  enterprise_user: z.object({ enterprise_id: z.string().optional() }).optional(),
});

/**
 * Maps a users.info `user` object to what the policy needs. Slackbot is a bot even though Slack says otherwise. With
 * `installation`, a person whose team and org are neither the installed team nor its org is `otherTeam` (so is one
 * whose team Slack does not say).
 */
export function personFromSlackUser(raw: unknown, installation?: Installation): SlackPerson {
  const user = slackUserSchema.parse(raw);
  const homes = [installation?.teamId, installation?.enterpriseId].filter((id): id is string => Boolean(id));
  const theirs = [user.team_id, user.enterprise_user?.enterprise_id].filter((id): id is string => Boolean(id));
  const otherTeam = installation !== undefined && !theirs.some((id) => homes.includes(id));
  return {
    ...(otherTeam ? { otherTeam } : {}),
    id: user.id,
    isAdmin: user.is_admin ?? false,
    isOwner: user.is_owner ?? false,
    isPrimaryOwner: user.is_primary_owner ?? false,
    isRestricted: user.is_restricted ?? false,
    isUltraRestricted: user.is_ultra_restricted ?? false,
    deleted: user.deleted ?? false,
    isBot: (user.is_bot ?? false) || user.id === 'USLACKBOT',
    ...(user.locale ? { locale: user.locale } : {}),
  };
}

/** `fresh`: ask Slack now, whatever is cached (for the moment a change is made). @default false */
export type Freshness = { fresh?: boolean };

export class Directory {
  private readonly people: TtlCache<SlackPerson>;
  private readonly groups: TtlCache<readonly string[]>;
  private readonly handles: TtlCache<ReadonlyMap<string, string>>;

  constructor(private readonly options: DirectoryOptions) {
    const ttlMs = Math.min(options.ttlMs ?? MAX_TTL_MS, MAX_TTL_MS);
    const now = options.now ?? Date.now;
    const maxEntries = options.maxEntries ?? 10_000;
    this.people = new TtlCache(ttlMs, now, maxEntries);
    this.groups = new TtlCache(ttlMs, now, maxEntries);
    this.handles = new TtlCache(ttlMs, now, 1);
  }

  /** Throws DirectoryError when Slack does not answer or answers something unreadable. */
  person(userId: string, freshness: Freshness = {}): Promise<SlackPerson> {
    return this.people.get(userId, freshness, async () => {
      try {
        const [user, installation] = await Promise.all([this.options.source.userInfo(userId), this.options.installation?.()]);
        return personFromSlackUser(user, installation);
      } catch (error) {
        throw new DirectoryError(`Slack could not say who ${userId} is`, { cause: error });
      }
    });
  }

  /** Throws DirectoryError when Slack does not answer. */
  usergroupMembers(groupId: string, freshness: Freshness = {}): Promise<readonly string[]> {
    return this.groups.get(groupId, freshness, async () => {
      try {
        return [...(await this.options.source.usergroupMembers(groupId))];
      } catch (error) {
        throw new DirectoryError(`Slack could not list the members of ${groupId}`, { cause: error });
      }
    });
  }

  /**
   * Every user group's handle by id (`S0WRITERS` → `im-writers`), one usergroups.list for all of them, cached like the
   * rest. Throws DirectoryError when Slack does not answer.
   */
  usergroupHandles(): Promise<ReadonlyMap<string, string>> {
    return this.handles.get('all', {}, async () => {
      try {
        const groups = await this.options.source.usergroups();
        return new Map(groups.map((group) => [group.id, group.handle]));
      } catch (error) {
        throw new DirectoryError('Slack could not list the user groups', { cause: error });
      }
    });
  }

  /**
   * Which of `groupIds` the person belongs to; 'unknown' if any of them could not be listed and the person is in
   * none of those that could (a failure must never grant, nor silently deny what it might have granted).
   */
  async groupsOf(userId: string, groupIds: readonly string[], freshness: Freshness = {}): Promise<readonly string[] | 'unknown'> {
    const lists = await Promise.allSettled(groupIds.map((id) => this.usergroupMembers(id, freshness)));
    const member = groupIds.filter((_, index) => {
      const list = lists[index];
      return list?.status === 'fulfilled' && list.value.includes(userId);
    });
    if (member.length > 0) return member;
    return lists.some((list) => list.status === 'rejected') ? 'unknown' : [];
  }
}

/** A small TTL cache sharing in-flight loads; rejected loads are forgotten at once; a fresh get always loads. */
class TtlCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly maxEntries: number,
  ) {}

  get(key: string, { fresh = false }: Freshness, load: () => Promise<T>): Promise<T> {
    const now = this.now();
    const entry = this.entries.get(key);
    if (!fresh && entry && entry.expiresAt > now) return entry.value;
    if (this.entries.size >= this.maxEntries) this.sweep(now);
    const value = load();
    const loaded = { value, expiresAt: now + this.ttlMs };
    this.entries.set(key, loaded);
    value.catch(() => {
      if (this.entries.get(key) === loaded) this.entries.delete(key);
    });
    return value;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    // Still full of live entries: drop the oldest (Map keeps insertion order).
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
