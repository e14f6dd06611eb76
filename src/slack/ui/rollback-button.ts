import type { ActionsBlock } from '@slack/types';
import type { Messages } from '../i18n/catalog.js';
import { rollbackActionIds } from '../ids.js';
import { limits, plain } from './text.js';

/**
 * Roll back… under an /im-audit @person answer, for who may both write and moderate (the click checks again).
 * `actor` is whose changes: the value comes back from the client and is parsed again.
 */
export function rollbackButtonBlock(m: Messages, actor: string): ActionsBlock {
  return {
    type: 'actions',
    elements: [{ type: 'button', action_id: rollbackActionIds.open, text: plain(m.rollback.button, limits.buttonText), value: actor }],
  };
}
