import type { FunctionExecution, HomeView, StoredMessage } from './api-state.js';
import type { HeldCall } from './held-calls.js';
import type { FakePerson } from './people.js';
import type { SlackFile } from './slack-files.js';
import type { ApiCall, Received, ResponsePost } from './recorder.js';
import type { SocketModeHub } from './socket-mode.js';

/** What the local Slack Web API (slack-api.ts) takes, and what a test or local mode holds of it once it runs. */

export type SlackApiOptions = {
  /** The bot token calls must carry. @default 'xoxb-simulator' */
  botToken?: string;
  /** The app-level token apps.connections.open accepts (Socket Mode). @default 'xapp-simulator' */
  appToken?: string;
  /** @default 'T0SIMULATE' */
  teamId?: string;
  /** Who users.info knows. @default demoPeople */
  people?: readonly FakePerson[];
  /** User group id → member ids, for usergroups.users.list. @default none */
  usergroups?: Record<string, string[]>;
  /** User group id → handle without the @, for usergroups.list. @default the id in lower case */
  usergroupHandles?: Record<string, string>;
  /** How many posts a response_url accepts, like Slack's 5. @default 5 */
  responseUrlUses?: number;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** The bot token's scopes (a method needing another answers missing_scope). @default those manifest.yml asks for */
  scopes?: readonly string[];
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
};

export interface SlackApi {
  /** Origin, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  /** The Web API base URL for `slackApiUrl`, ending in `/api/`. */
  readonly apiUrl: string;
  readonly botToken: string;
  readonly appToken: string;
  /** Socket Mode: deliver envelopes to a connected app and await its acks. */
  readonly socketMode: SocketModeHub;
  readonly received: readonly Received[];
  /** Web API calls, optionally of one method. */
  calls(method?: string): ApiCall[];
  /** Posts to response URLs, optionally to one id. */
  responses(id?: string): ResponsePost[];
  /** A fresh response_url on this server (or the one for `id`). */
  responseUrl(id?: string): string;
  /** The first call of `method` matching `match` (already received or next to arrive). @default timeout 5000 ms */
  waitForCall(method: string, match?: (call: ApiCall) => boolean, timeoutMs?: number): Promise<ApiCall>;
  /** The first post to response URL `id` matching `match`. @default timeout 5000 ms */
  waitForResponse(id: string, match?: (post: ResponsePost) => boolean, timeoutMs?: number): Promise<ResponsePost>;
  /** Calls `listener` on every later arrival. Returns the unsubscribe. */
  subscribe(listener: (item: Received) => void): () => void;
  /** Replace who users.info knows. */
  setPeople(people: readonly FakePerson[]): void;
  putPerson(person: FakePerson): void;
  /** Creates or replaces a user group (usergroups.users.list), with its handle when given (usergroups.list). */
  setUsergroup(id: string, members: string[], handle?: string): void;
  /** The person's Home tab as last published, if ever. */
  homeView(userId: string): HomeView | undefined;
  /**
   * A message (or thread reply) as it stands now: as chat.postMessage posted it, with what chat.update changed since.
   * `channel` as the post answered it (a DM's D… id), or the person's user id for the app's DM with them.
   */
  message(channel: string, ts: string): StoredMessage | undefined;
  /** A message a person posted in `channel` (the bot may not update it: cant_update_message). Returns where it is. */
  putMessage(channel: string, user: string, text: string): { channel: string; ts: string };
  /**
   * Starts a run of the Workflow Builder step `callbackId` as Slack does before it sends function_executed: its
   * function_execution_id, and the workflow token (xwfp-…) the event carries, accepted until the step ends.
   */
  startFunctionExecution(callbackId: string): { id: string; token: string };
  /** A step run and how it ended: running, completed (with outputs) or failed (with the error). */
  functionExecution(id: string): FunctionExecution | undefined;
  /** Keeps a file as if a person attached it in a file_input: the object Slack puts in the view's state. */
  putFile(name: string, content: string | Buffer, user?: string): SlackFile;
  /** A file kept with putFile. */
  file(id: string): SlackFile | undefined;
  /** How many times the file's content was downloaded with the bot token. */
  fileDownloads(id: string): number;
  /** Make `method` answer `{ ok: false, error }` for the next `times` calls (default: until cleared). */
  fail(method: string, error: string, times?: number): void;
  clearFailures(): void;
  /**
   * Holds the next call of `method` whose arguments match, as a slow network would: not applied, answered or recorded
   * until released; later calls go through meanwhile (held-calls.ts).
   */
  hold(method: string, match?: (args: Record<string, unknown>) => boolean): HeldCall;
  /** Applies and records the next matching call of `method` and holds its answer until released (held-calls.ts). */
  holdAnswer(method: string, match?: (args: Record<string, unknown>) => boolean): HeldCall;
  /** Replaces the bot token's scopes (e.g. without channels:history: conversations.history answers missing_scope). */
  setScopes(scopes: readonly string[]): void;
  /** The bot is no longer a member of `channel`: reading its history answers not_in_channel. */
  leaveChannel(channel: string): void;
  /** Forget what was received. */
  clear(): void;
  close(): Promise<void>;
}
