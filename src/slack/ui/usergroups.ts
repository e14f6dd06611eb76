import { code } from './text.js';

/** User group id → its handle without the @ (`S0WRITERS` → `im-writers`), from usergroups.list. */
export type UsergroupHandles = ReadonlyMap<string, string>;

/**
 * User groups as a person can recognise them: `@im-writers` where the handle is known, the id otherwise. Inline code,
 * never a `<!subteam^…>` mention, which would notify the whole group wherever the message is shown.
 */
export function usergroupList(ids: readonly string[], handles: UsergroupHandles): string {
  return ids.map((id) => code(handles.has(id) ? `@${handles.get(id)!}` : id, 64)).join(', ');
}
