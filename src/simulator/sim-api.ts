import { z } from 'zod';
import { fromLoopback, json, parseJson, readBody, sameOrigin, type SimRoute } from './sim-http.js';
import {
  actionInput,
  closeInput,
  commandInput,
  fileInput,
  homeActionInput,
  homeOpenInput,
  shortcutInput,
  stepRunInput,
  submitInput,
} from './sim-inputs.js';
import type { Simulator } from './simulator.js';
import type { Surfaces } from './surfaces.js';

/**
 * The JSON API the page calls, one POST per thing a person does: `/sim/command`, `/sim/action`, `/sim/view-submit`,
 * `/sim/file-upload`, `/sim/view-close`, and with surfaces `/sim/home-*`, `/sim/message-shortcut`, `/sim/step-run`.
 * A refusal the page must show (a message over Slack's length limit) is `400 { ok: false, error, message }`,
 * `message` in Slack's words.
 */
export function apiRoutes(simulator: Simulator, surfaces: Surfaces | undefined): SimRoute[] {
  const api = apiRoute((id) => simulator.workspace.person(id) !== undefined);
  const routes = [
    api('/sim/command', commandInput, async ({ user, channel, text }) => {
      const reply = await simulator.type(user, channel, text);
      if (reply && 'refused' in reply) return reply;
      return reply ? { status: reply.status } : {};
    }),
    api('/sim/action', actionInput, async (input) => {
      const reply = await simulator.click(
        input.user,
        { ...(input.messageId ? { messageId: input.messageId } : {}), ...(input.viewId ? { viewId: input.viewId } : {}) },
        {
          actionId: input.actionId,
          blockId: input.blockId,
          type: input.type,
          ...(input.value !== undefined ? { value: input.value } : {}),
          ...(input.text !== undefined ? { text: input.text } : {}),
          ...(input.selected
            ? { selectedOption: { text: { type: 'plain_text', text: input.selected.text }, value: input.selected.value } }
            : {}),
        },
      );
      return { status: reply.status };
    }),
    api('/sim/view-submit', submitInput, async ({ user, viewId, values }) => {
      const reply = await simulator.submit(user, viewId, values);
      return { status: reply.status };
    }),
    api(
      '/sim/file-upload',
      fileInput,
      ({ user, name, content }) => Promise.resolve(simulator.attachFile(user, name, content)),
      3 * 1024 * 1024,
    ),
    api('/sim/view-close', closeInput, async ({ user, viewId }) => {
      await simulator.close(user, viewId);
      return {};
    }),
  ];
  if (!surfaces) return routes;
  return [
    ...routes,
    api('/sim/home-open', homeOpenInput, async ({ user }) => ({ status: (await surfaces.openHome(user)).status })),
    api('/sim/home-action', homeActionInput, async (input) => {
      const element = {
        actionId: input.actionId,
        blockId: input.blockId,
        type: 'button',
        ...(input.value === undefined ? {} : { value: input.value }),
      };
      return { status: (await surfaces.clickHome(input.user, element, input.values)).status };
    }),
    api('/sim/message-shortcut', shortcutInput, async ({ user, messageId, callbackId }) => ({
      status: (await surfaces.messageShortcut(user, messageId, callbackId)).status,
    })),
    api('/sim/step-run', stepRunInput, async ({ user, callbackId, inputs }) => {
      const reply = await surfaces.runStep(user, callbackId, inputs);
      return 'refused' in reply ? reply : { status: reply.status };
    }),
  ];
}

/**
 * One POST of the API: from this machine and the page's own origin only, JSON only, parsed by its schema, acting as
 * a person of the workspace. What `run` returns is the answer (`{ ok: true, … }`), or a refusal when it says `refused`.
 */
function apiRoute(isPerson: (id: string) => boolean) {
  return <T extends { user: string }>(
    path: string,
    schema: z.ZodType<T>,
    run: (input: T) => Promise<unknown>,
    maxBytes?: number,
  ): SimRoute => ({
    path,
    method: 'POST',
    handler: (req, res) => {
      void (async () => {
        if (!fromLoopback(req) || !sameOrigin(req)) return json(res, 403, { ok: false, error: 'loopback_only' });
        if (!req.headers['content-type']?.startsWith('application/json')) return json(res, 415, { ok: false, error: 'json_only' });
        const parsed = schema.safeParse(parseJson(await readBody(req, maxBytes)));
        if (!parsed.success) return json(res, 400, { ok: false, error: 'invalid_request', detail: z.prettifyError(parsed.error) });
        if (!isPerson(parsed.data.user)) return json(res, 400, { ok: false, error: 'unknown_user' });
        const result = (await run(parsed.data)) as { refused?: string; message?: string };
        if (result.refused) return json(res, 400, { ok: false, error: result.refused, message: result.message });
        json(res, 200, { ok: true, ...result });
      })().catch((error: unknown) => json(res, 500, { ok: false, error: 'internal_error', detail: String(error) }));
    },
  });
}
