import { NimAuthError } from '../nim/errors.js';
import type { NimClient } from '../nim/client.js';
import { isTokenRejected } from '../slack/bot-identity.js';
import { CredentialsRejectedError, type ConnectivityCheck } from './connectivity.js';

/** Slack's Web API: auth.test with the bot token, asked once, with no retries (the start-up loop retries). */
export function slackCheck(apiUrl: string, verify: () => Promise<unknown>): ConnectivityCheck {
  return {
    service: 'Slack',
    url: `${apiUrl.replace(/\/?$/, '/')}auth.test`,
    hint: 'check SLACK_API_URL (unset means Slack itself), DNS, and that outbound HTTPS is allowed (proxy, firewall)',
    async run() {
      try {
        await verify();
      } catch (error) {
        if (!isTokenRejected(error)) throw error;
        const code = (error as { data: { error: string } }).data.error;
        throw new CredentialsRejectedError(`Slack rejected SLACK_BOT_TOKEN (${code})`, { cause: error });
      }
    },
  };
}

/**
 * Probe accid for the NetEase check: a signed `user/getUinfos.action` for an account nobody has. Any NetEase answer
 * (found or not, even a 416) proves the service is reachable; a 414 on the credentials or the clock stops the start.
 */
export const NETEASE_PROBE_ACCID = 'im-admin-start-probe';

/** NetEase's server API: one signed lookup through the client (its budget, its read retries). */
export function netEaseCheck(nim: Pick<NimClient, 'getUinfos'>, baseUrl: string): ConnectivityCheck {
  return {
    service: 'NetEase',
    url: `${baseUrl.replace(/\/$/, '')}/user/getUinfos.action`,
    hint: 'check NIM_BASE_URL (and NIM_BACKUP_BASE_URL), DNS, and that outbound HTTPS is allowed (proxy, firewall)',
    async run() {
      try {
        await nim.getUinfos([NETEASE_PROBE_ACCID]);
      } catch (error) {
        if (error instanceof NimAuthError) {
          throw new CredentialsRejectedError(`NetEase rejected NIM_APP_KEY / NIM_APP_SECRET (code ${error.nimCode}: ${error.desc})`, {
            cause: error,
          });
        }
        if (error instanceof Error && 'code' in error && (error.code === 'nim_api_error' || error.code === 'nim_rate_limited')) return;
        throw error;
      }
    },
  };
}
