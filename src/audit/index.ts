/** The audit trail: records, the audit store, audited writes and the outbox that posts to the audit channel. */
export type { AuditLogger } from './audit-logger.js';
export { auditedWrite, auditRefusal, describeFailure, finishAll, recordLookup } from './audited-write.js';
export type { AuditTrail, LookupInput, OutcomeDescription, RefusalInput, UpdateIntent } from './audited-write.js';
export { callStored, storeIntents, type StoredCall } from './audited-chunk.js';
export { cardChanges, serverMemberChanges } from './changes.js';
export { AuditOutbox } from './outbox.js';
export type { AuditOutboxOptions, AuditPost, AuditRecovery, AuditVerify, FindPostedEntries } from './outbox.js';
export * from './records.js';
export { AuditStoreError } from './store/contract.js';
export type { AuditStore } from './store/contract.js';
export { readBackVerifier } from './verify.js';
export type { CardReader } from './verify.js';
