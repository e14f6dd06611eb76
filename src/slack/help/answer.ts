import type { RespondFn } from '@slack/bolt';
import { noteOutcome } from '../../metrics/outcome.js';
import type { Locale } from '../i18n/catalog.js';
import type { AppLogger } from '../../logger.js';
import { type ReadDeps } from '../interaction/deps.js';
import { answer } from '../interaction/reply.js';
import { usergroupHandles } from '../interaction/usergroup-handles.js';
import { namedUsergroups } from './permission.js';
import type { CommandName } from './registry.js';
import { renderHelp } from './render.js';

/** Answers `<command> help` (ephemeral): that command first, then every command with the permission it needs. */
export async function answerHelp(
  deps: Pick<ReadDeps, 'access' | 'directory' | 'writeEnabled'>,
  input: { command: CommandName; locale: Locale; respond: RespondFn; log: AppLogger },
): Promise<void> {
  noteOutcome('usage');
  const handles = await usergroupHandles(deps.directory, namedUsergroups(deps.access), input.log);
  const help = renderHelp({
    command: input.command,
    locale: input.locale,
    access: deps.access,
    handles,
    writeEnabled: deps.writeEnabled === true,
  });
  await answer(input.respond, help, input.log);
}
