import type { RollbackService } from '../../undo/rollback-service.js';
import type { WriteDeps } from '../interaction/deps.js';

export type RollbackDeps = WriteDeps & {
  /** Rollbacks as durable long runs: the record before the first undo, the audit channel's one message, Continue. */
  rollbacks: RollbackService;
};
