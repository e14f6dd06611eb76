import { withBlockIds, type InputValue } from './render/blocks.js';

/**
 * Each person's stack of open modals, as Slack keeps them: views.open starts a stack, views.push and
 * `response_action: push` add to it, views.update and `response_action: update` replace a view in place (found by
 * view id or external id), and a submission the app acknowledges closes the top one.
 */

export type SimModal = {
  id: string;
  externalId?: string;
  user: string;
  /** The channel it was opened from (a modal has none in Slack; the simulator keeps it for display). */
  channel: string;
  view: Record<string, unknown>;
  errors?: Record<string, string>;
  typed?: Record<string, Record<string, InputValue>>;
  /** A problem talking to the app, shown at the top of the modal like Slack's "We had some trouble connecting". */
  problem?: string;
  /** Bumped on every change, so the page redraws a modal (and loses what was typed) only when the app changed it. */
  version: number;
};

export class Modals {
  readonly #stacks = new Map<string, SimModal[]>();

  constructor(
    /** Called after every change. */
    private readonly changed: () => void,
    private readonly nextId: () => string,
  ) {}

  of(user: string): readonly SimModal[] {
    return this.#stacks.get(user) ?? [];
  }

  find(user: string, id: string): SimModal | undefined {
    return this.of(user).find((modal) => modal.id === id);
  }

  /** The open modal with this view id or external id, whoever has it. */
  findAnywhere(id: string | undefined, externalId: string | undefined): SimModal | undefined {
    for (const stack of this.#stacks.values()) {
      const found = stack.find((m) => (id !== undefined && m.id === id) || (externalId !== undefined && m.externalId === externalId));
      if (found) return found;
    }
    return undefined;
  }

  /** views.open replaces whatever the person had open; views.push stacks on top. */
  open(origin: { user: string; channel: string }, view: Record<string, unknown>, push: boolean): void {
    const modal = this.#newModal(origin, view);
    this.#stacks.set(origin.user, push ? [...this.of(origin.user), modal] : [modal]);
    this.changed();
  }

  replaceView(modal: SimModal, view: Record<string, unknown>): void {
    modal.view = { ...view, id: modal.id, blocks: withBlockIds(arrayOr(view.blocks), `${modal.id}-`) };
    const externalId = typeof view.external_id === 'string' ? view.external_id : undefined;
    if (externalId) modal.externalId = externalId;
    delete modal.errors;
    delete modal.typed;
    delete modal.problem;
    modal.version++;
    this.changed();
  }

  /** The app answered a submission with `response_action: errors`: show them, keep what was typed. */
  showErrors(modal: SimModal, errors: Record<string, string>, typed: SimModal['typed']): void {
    modal.errors = errors;
    if (typed) modal.typed = typed;
    delete modal.problem;
    modal.version++;
    this.changed();
  }

  showProblem(modal: SimModal, problem: string, typed: SimModal['typed']): void {
    modal.problem = problem;
    if (typed) modal.typed = typed;
    modal.version++;
    this.changed();
  }

  /** Closes one modal, or every modal of the person (`response_action: clear`). */
  /** `id` 'all' closes every modal of the person. */
  close(user: string, id: string): void {
    this.#stacks.set(user, id === 'all' ? [] : this.of(user).filter((modal) => modal.id !== id));
    this.changed();
  }

  #newModal(origin: { user: string; channel: string }, view: Record<string, unknown>): SimModal {
    const id = typeof view.id === 'string' ? view.id : this.nextId();
    const externalId = typeof view.external_id === 'string' ? view.external_id : undefined;
    return {
      id,
      ...(externalId ? { externalId } : {}),
      user: origin.user,
      channel: origin.channel,
      view: { ...view, id, blocks: withBlockIds(arrayOr(view.blocks), `${id}-`) },
      version: 1,
    };
  }
}

function arrayOr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
