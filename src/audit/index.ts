/** The audit trail: records, the JSONL log, audited writes and the outbox that posts to the audit channel. */
export { auditedWrite, auditRefusal, describeFailure, recordLookup } from './audited-write.js';
export type { AuditTrail, LookupInput, OutcomeDescription, RefusalInput, UpdateIntent } from './audited-write.js';
export { cardChanges, serverMemberChanges } from './changes.js';
export { AuditLog, AuditWriteError } from './log.js';
export type { AuditLogger, AuditLogReading } from './log.js';
export { AuditOutbox } from './outbox.js';
export type { AuditOutboxOptions, AuditPost, AuditRecovery, AuditVerify } from './outbox.js';
export * from './records.js';
export { readBackVerifier } from './verify.js';
export type { CardReader } from './verify.js';
