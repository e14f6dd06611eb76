import type { ApiCall } from '../../../src/simulator/recorder.js';
import type { AppAnswer } from '../../support/slack-requests.js';
import type { ModalView, UpdateHarness } from './update-harness.js';

/** Steps of a moderation flow through the app, over real HTTP, for the moderation tests. */

/** The view a view_submission ack replaced the modal with (`response_action: update`), with the modal's id. */
export function updatedView(ack: AppAnswer, viewId: string): ModalView {
  const body = JSON.parse(ack.body) as { response_action?: string; view?: ModalView };
  if (body.response_action !== 'update' || !body.view) throw new Error(`expected response_action update, got ${ack.body}`);
  return { ...body.view, id: viewId };
}

/** The modal's final view: the report (title "Done") or a notice, after a confirmation. */
export async function finalView(
  h: UpdateHarness,
  viewId: string,
  title: RegExp = /Done|完成/,
): Promise<ModalView & { title?: { text: string } }> {
  const call = await h.slack.waitForCall(
    'views.update',
    (c: ApiCall) => c.args.view_id === viewId && title.test(JSON.stringify((c.args.view as { title?: unknown }).title)),
    20_000,
  );
  return { ...(call.args.view as ModalView), id: viewId };
}

export const blockTexts = (view: { blocks: unknown[] }) => JSON.stringify(view.blocks);
