import type { App } from '@slack/bolt';
import { z } from 'zod';
import { noteOutcome, trackCommand } from '../../metrics/outcome.js';
import { answerHistoryPage, parseAuditText, type AuditHistoryDeps } from './history.js';
import { renderError } from '../ui/errors.js';
import { section } from '../ui/text.js';
import { answerHelp } from '../help/answer.js';
import { localeOf } from '../interaction/admit.js';
import { messages } from '../i18n/catalog.js';
import { escapeMrkdwn } from '../ui/mrkdwn.js';
import { slackUserId } from '../interaction/payloads.js';
import { answer, yieldAfterAck } from '../interaction/reply.js';
import { requestOf } from '../interaction/request-context.js';

const commandPayload = z.object({ user_id: slackUserId, text: z.string().max(10_000) });

/**
 * `/im-audit <accid>`: that account's changes, sanctions and refusals; `/im-audit @person`: what that Slack person
 * did. Newest first, 10 a page, ephemeral, for people who may edit cards or moderate; each page viewed is a lookup.
 */
export function registerImAudit(app: App, deps: AuditHistoryDeps): void {
  app.command('/im-audit', async ({ command, ack, respond, context }) => {
    await ack();
    await yieldAfterAck();
    const { correlationId, log } = requestOf(context);
    await trackCommand(deps.metrics, '/im-audit', async () => {
      const payload = commandPayload.safeParse(command);
      if (!payload.success) {
        log.warn({ issues: payload.error.issues }, 'unreadable slash command payload');
        noteOutcome('input_error');
        await answer(respond, renderError(new Error('unreadable payload'), { locale: 'en', correlationId }), log);
        return;
      }
      const userId = payload.data.user_id;
      const typed = parseAuditText(payload.data.text);
      if ('help' in typed) {
        await answerHelp(deps, { command: '/im-audit', locale: await localeOf(deps, userId), respond, log });
        return;
      }
      if ('unresolvedMention' in typed) {
        noteOutcome('input_error');
        const m = messages(await localeOf(deps, userId));
        const text = m.auditHistory.notAMention(`\`${escapeMrkdwn(typed.unresolvedMention.slice(0, 128))}\``);
        await answer(respond, { text, blocks: [section(text)] }, log);
        return;
      }
      if ('invalid' in typed) {
        noteOutcome('input_error');
        const m = messages(await localeOf(deps, userId));
        const shown = escapeMrkdwn(typed.invalid.slice(0, 128));
        await answer(respond, { text: m.auditHistory.usage, blocks: [section(`\`${shown}\`\n${m.auditHistory.usage}`)] }, log);
        return;
      }
      await answerHistoryPage(deps, { userId, query: typed.subject, respond, correlationId, log });
    });
  });
}
