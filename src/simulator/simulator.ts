import { blockActionsRequest, postToApp, type AppEndpoint, type AppReply, type ClickedElement, type Team } from './app-link.js';
import { messageBox, type DeclaredCommands } from './message-box.js';
import { modalAnswers } from './modal-answers.js';
import { requestOrigin } from './request-origin.js';
import type { SlackApi } from './slack-api.js';
import type { Refused } from './slack-notices.js';
import type { Typed } from './view-state.js';
import type { Workspace } from './workspace.js';

/**
 * Plays Slack's part for the people in the browser: turns what they type and click into the requests Slack would send
 * the app, and turns the app's answers (HTTP acks, Web API calls, response_url posts) into what they would see.
 */

export type Simulator = {
  readonly workspace: Workspace;
  /**
   * Runs what was typed in the message box: a slash command, or a plain message posted as that person. Over Slack's
   * limit nothing is sent, and the refusal says why; an unknown command gets Slackbot's answer, as in Slack.
   */
  type(user: string, channel: string, text: string): Promise<AppReply | Refused | undefined>;
  click(user: string, target: { messageId?: string; viewId?: string }, element: ClickedElement): Promise<AppReply>;
  /**
   * Submits the person's modal with what they typed and chose (block_id → action_id → the text, or the value(s) of the
   * option(s) chosen), sent as Slack shapes `view.state.values`.
   */
  submit(user: string, viewId: string, typed: Typed): Promise<AppReply>;
  /** Keeps a file the person picked in a file_input, as Slack does on upload; the submission then names its id. */
  attachFile(user: string, name: string, content: string): { id: string };
  /** Closes one modal, or every modal of the person (`'all'`: the page was reloaded, as Slack's client forgets them). */
  close(user: string, viewId: string): Promise<void>;
  stop(): void;
};

export type SimulatorOptions = DeclaredCommands & {
  workspace: Workspace;
  slackApi: SlackApi;
  app: AppEndpoint;
  /** @default { id: 'T0SIMULATE', domain: 'simulator' } */
  team?: Team;
};

export function createSimulator(options: SimulatorOptions): Simulator {
  const { workspace, slackApi, app } = options;
  const origin = requestOrigin(workspace, slackApi, options.team ?? { id: 'T0SIMULATE', domain: 'simulator' });
  for (const item of slackApi.received) workspace.apply(item);
  const unsubscribe = slackApi.subscribe((item) => workspace.apply(item));
  const modals = modalAnswers(workspace, slackApi, app, origin);

  return {
    workspace,
    type: messageBox(workspace, app, origin, options),

    async click(user, target, element) {
      const modal = target.viewId ? workspace.modals.find(user, target.viewId) : undefined;
      const message = target.messageId ? workspace.message(target.messageId) : undefined;
      const channel = message?.channel ?? modal?.channel ?? 'C0GENERAL';
      const reply = await postToApp(
        app,
        blockActionsRequest({
          team: origin.team,
          user: origin.userOf(user),
          channelId: channel,
          triggerId: origin.newTrigger(user, channel, message?.id),
          element,
          ...(message
            ? {
                message: {
                  ts: message.ts,
                  ephemeral: message.visibleTo !== undefined,
                  ...(message.text ? { text: message.text } : {}),
                  ...(message.blocks ? { blocks: message.blocks } : {}),
                },
                responseUrl: origin.newResponseUrl(user, channel, message.id),
              }
            : {}),
          ...(modal ? { view: modal.view } : {}),
        }),
      );
      if (reply.status !== 200) origin.failed(user, channel, 'This action', reply);
      return reply;
    },

    attachFile(user, name, content) {
      return { id: slackApi.putFile(name, content, user).id };
    },

    submit: modals.submit,
    close: modals.close,
    stop: unsubscribe,
  };
}
