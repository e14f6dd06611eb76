import type { AppLogger } from '../../logger.js';
import type { Directory } from '../../policy/directory.js';
import type { UsergroupHandles } from '../ui/usergroups.js';

const none: UsergroupHandles = new Map();

/**
 * The handles of `ids` for naming them to a person (`@im-writers`), or none when there is nothing to name or Slack
 * cannot list them: the message then names the ids, which is worse to read but never wrong.
 */
export async function usergroupHandles(directory: Directory, ids: readonly string[], log: AppLogger): Promise<UsergroupHandles> {
  if (ids.length === 0) return none;
  try {
    return await directory.usergroupHandles();
  } catch (error) {
    log.warn({ err: error }, 'could not list the user groups; naming them by id');
    return none;
  }
}
