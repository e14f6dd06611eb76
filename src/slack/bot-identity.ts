import type { Authorize, webApi } from '@slack/bolt';

/**
 * The bot's identity from auth.test, asked once and kept, but — unlike Bolt's built-in single-token authorization,
 * which calls auth.test at construction and keeps a rejection forever — a failed auth.test is asked again on the
 * next request, and never surfaces as an unhandled rejection.
 */
export class BotIdentity {
  private identity: Promise<{ botId?: string; botUserId?: string; teamId?: string; enterpriseId?: string }> | undefined;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly botToken: string,
  ) {}

  /**
   * auth.test, once it has succeeded. Throws Slack's error (e.g. `invalid_auth`) when it fails. `client`: another
   * WebClient with the same token (start-up asks through one without retries). @default the app's client
   */
  verify(client: webApi.WebClient = this.client): Promise<{ botId?: string; botUserId?: string; teamId?: string; enterpriseId?: string }> {
    if (!this.identity) {
      const asked = client.auth.test().then((answer) => ({
        ...(answer.bot_id ? { botId: answer.bot_id } : {}),
        ...(answer.user_id ? { botUserId: answer.user_id } : {}),
        ...(answer.team_id ? { teamId: answer.team_id } : {}),
        ...(answer.enterprise_id ? { enterpriseId: answer.enterprise_id } : {}),
      }));
      this.identity = asked;
      asked.catch(() => {
        if (this.identity === asked) this.identity = undefined;
      });
    }
    return this.identity;
  }

  /** Bolt's `authorize` option. */
  readonly authorize: Authorize<boolean> = async () => {
    const { botId, botUserId } = await this.verify();
    return { botToken: this.botToken, ...(botId ? { botId } : {}), ...(botUserId ? { botUserId } : {}) };
  };
}

/** Slack errors that mean the token itself is wrong: starting is pointless. */
export function isTokenRejected(error: unknown): boolean {
  const code = (error as { data?: { error?: unknown } } | undefined)?.data?.error;
  return ['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired'].includes(String(code));
}
