/** Prometheus metrics (GET /metrics) and the outcome of Slack commands. */
export { createMetrics, Metrics } from './registry.js';
export type { BudgetSource, MetricsOptions } from './registry.js';
export { metricsRoute } from './route.js';
export { noteFailure, noteOutcome, outcomeOfError, trackCommand, tracked } from './outcome.js';
export type { CommandCounter, CommandOutcome } from './outcome.js';
