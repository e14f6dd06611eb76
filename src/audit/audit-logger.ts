/** The part of a pino logger the audit trail uses. */
export type AuditLogger = {
  info?(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
};
