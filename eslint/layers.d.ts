import type { Linter } from 'eslint';

/** The Slack feature folders. */
export declare const FEATURES: readonly string[];
/** What a feature folder may import from src/slack/ besides itself. */
export declare const SHARED: readonly string[];
/** The layer rules of src/, with paths relative to `root` (the repository root). */
export declare function layerRules(root: string): Linter.Config[];
