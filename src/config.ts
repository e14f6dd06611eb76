import { assembleConfig } from './config/assemble.js';
import { crossFieldProblems } from './config/cross-checks.js';
import { envSchema } from './config/env-schema.js';
import { blankAsUnset } from './config/env-values.js';
import type { Config } from './config/settings.js';

/**
 * Settings, read once at start from the environment (passed in, never read from process.env elsewhere), validated
 * with zod, every problem reported at once, empty strings treated as unset, returned frozen. Modelled on t3-env.
 * The parts, in config/: each variable's kind (env-schema, env-values), the checks across variables (cross-checks),
 * and the typed Config they are arranged into (settings, assemble).
 */

export { defaultAccess, type Config, type NimSettings, type Role, type SlackSettings } from './config/settings.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`im-admin cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment. Throws ConfigError listing every problem at once. Secrets never appear in a problem. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  const isSet = (name: string) => blankAsUnset(env[name]) !== undefined;
  problems.push(...crossFieldProblems(isSet, parsed.success ? parsed.data : undefined));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return assembleConfig(parsed.data);
}
