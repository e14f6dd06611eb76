import type { WriteDeps } from '../interaction/deps.js';

export type RollbackDeps = WriteDeps & {
  /** AUDIT_CHANNEL: where the rollback's one message goes; without one, nothing is posted (the undos are stored). */
  auditChannel?: string;
};
