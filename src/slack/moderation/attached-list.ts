import { tokensOfFile } from '../../moderation/batch/account-list.js';
import type { WriteDeps } from '../interaction/deps.js';
import { attachedFiles, type SubmittedValues } from '../interaction/submitted.js';
import type { AttachedList } from './read-form.js';
import { ACCOUNTS_FILE } from './views.js';

/** The list attached to the form, downloaded and split into ids; undefined when none is attached (or files are off). */
export async function readAttachedList(deps: WriteDeps, values: SubmittedValues): Promise<AttachedList | undefined> {
  const file = attachedFiles(values, ACCOUNTS_FILE)[0];
  if (!file || !deps.readAttachedFile) return undefined;
  const content = await deps.readAttachedFile(file, ACCOUNTS_FILE);
  return { name: file.name, tokens: tokensOfFile(file.name, content) };
}
