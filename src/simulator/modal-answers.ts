import { postToApp, replyJson, viewRequest, type AppEndpoint, type AppReply } from './app-link.js';
import type { RequestOrigin } from './request-origin.js';
import type { SlackApi } from './slack-api.js';
import { isObject, stateValues, stringRecord, type Typed } from './view-state.js';
import type { Workspace } from './workspace.js';

/** A person's modals as Slack runs them: a submission is sent to the app and its response_action applied; a close is told to the app when the view asks. */
export type ModalAnswers = {
  submit: (user: string, viewId: string, typed: Typed) => Promise<AppReply>;
  close: (user: string, viewId: string) => Promise<void>;
};

export function modalAnswers(workspace: Workspace, slackApi: SlackApi, app: AppEndpoint, origin: RequestOrigin): ModalAnswers {
  const { team, userOf, newTrigger } = origin;
  return {
    async submit(user, viewId, typed) {
      const modal = workspace.modals.find(user, viewId);
      if (!modal) return { status: 404, body: 'no such modal' };
      const values = stateValues(modal, typed, (id) => slackApi.file(id));
      const reply = await postToApp(
        app,
        viewRequest({
          type: 'view_submission',
          team,
          user: userOf(user),
          triggerId: newTrigger(user, modal.channel),
          view: modal.view,
          values,
        }),
      );
      if (reply.status !== 200) {
        workspace.modals.showProblem(modal, 'We had some trouble connecting. Try again?', values);
        return reply;
      }
      const answer = replyJson(reply);
      switch (answer?.response_action) {
        case 'errors':
          workspace.modals.showErrors(modal, stringRecord(answer.errors), values);
          break;
        case 'update':
          if (isObject(answer.view)) workspace.modals.replaceView(modal, answer.view);
          break;
        case 'push':
          if (isObject(answer.view)) workspace.modals.open(modal, answer.view, true);
          break;
        case 'clear':
          workspace.modals.close(user, 'all');
          break;
        default:
          workspace.modals.close(user, modal.id);
      }
      return reply;
    },

    async close(user, viewId) {
      const closing = viewId === 'all' ? [...workspace.modals.of(user)] : workspace.modals.of(user).filter((modal) => modal.id === viewId);
      if (closing.length === 0) return;
      workspace.modals.close(user, viewId);
      for (const modal of closing.filter((m) => m.view.notify_on_close === true)) {
        await postToApp(
          app,
          viewRequest({
            type: 'view_closed',
            team,
            user: userOf(user),
            triggerId: newTrigger(user, modal.channel),
            view: modal.view,
            values: {},
          }),
        );
      }
    },
  };
}
