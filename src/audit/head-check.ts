import type { AuditStore, ChainHead } from './store/contract.js';

/**
 * At start: does the trail still hold every record up to the highest head the app posted to the audit channel? A
 * store whose newest records were cut (and whose head row was fixed to match) verifies "intact" on its own; the head
 * it posted says it held more. Then the app says so (logged as an error, posted to the audit channel) and /readyz
 * fails until an operator accepts the trail as it is: AUDIT_ACCEPT_HEAD=<count>:<sha256> of its current head, which
 * also lowers the remembered head to it, so the next start carries on.
 *
 * The remembered head is a row of its own (audit_posted_head), raised after each post; someone who cuts the trail
 * and knows to lower that row too is still caught by comparing the channel's last head with
 * `npm run audit -- verify --head`.
 */
export async function checkPostedHead(store: AuditStore, accepted: ChainHead | undefined): Promise<string | undefined> {
  const posted = await store.postedHead?.();
  if (!posted) return undefined;
  const head = await store.head();
  if (head.count >= posted.count) return undefined;
  if (accepted && accepted.count === head.count && accepted.hash === head.hash) {
    await store.rememberPostedHead?.(head, { reset: true });
    return undefined;
  }
  return (
    `The audit trail (${store.kind} ${store.location}) holds ${head.count} records, but the app posted a head of ` +
    `${posted.count} records (SHA-256 ${posted.hash}) to the audit channel: records were removed from its end. ` +
    `Updates go on being recorded, but /readyz fails until this is looked into; to accept the trail as it is, set ` +
    `AUDIT_ACCEPT_HEAD=${head.count}:${head.hash} and restart.`
  );
}
