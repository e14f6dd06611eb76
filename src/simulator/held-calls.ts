/**
 * Web API calls held back as a slow network or a busy Slack would hold them: one that matches a hold waits, neither
 * applied nor answered nor recorded, until the test releases it; calls that arrive meanwhile go through as usual. A
 * test sees in what order the app's calls land, and whether it sent the next before the last was answered.
 *
 * An answer hold (`holdAnswer`) lets the call be applied and recorded and holds only its answer: Slack has posted the
 * message, the app does not know yet. A test kills the app there, the window between a post and saving it.
 */
export type HeldCall = {
  /** Resolves with the call's arguments when it arrives (and is held). */
  arrived: Promise<Record<string, unknown>>;
  /** Lets the held call through (if it has not arrived yet, the hold is dropped and it will not be held). */
  release(): void;
};

type Args = Record<string, unknown>;
type Phase = 'call' | 'answer';
type Hold = {
  method: string;
  phase: Phase;
  match: (args: Args) => boolean;
  arrive: (args: Args) => void;
  released: Promise<void>;
  release: () => void;
};

export class HeldCalls {
  /** Holds not yet matched by a call. */
  private readonly waiting: Hold[] = [];
  private readonly all = new Set<Hold>();

  /** Holds the next call of `method` whose arguments match. */
  hold(method: string, match: (args: Args) => boolean = () => true, phase: Phase = 'call'): HeldCall {
    let arrive!: (args: Args) => void;
    let release!: () => void;
    const arrived = new Promise<Args>((resolve) => (arrive = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const hold: Hold = { method, phase, match, arrive, released, release };
    this.waiting.push(hold);
    this.all.add(hold);
    return { arrived, release: () => this.let(hold) };
  }

  /** Resolves when the call (or, `answer`, its answer) may go on: at once, or when the hold it matched is released. */
  async passage(method: string, args: Args, phase: Phase = 'call'): Promise<void> {
    const hold = this.waiting.find((candidate) => candidate.method === method && candidate.phase === phase && candidate.match(args));
    if (!hold) return;
    this.waiting.splice(this.waiting.indexOf(hold), 1);
    hold.arrive(args);
    await hold.released;
  }

  /** Lets every held call through and drops the holds not matched yet (the server is closing). */
  releaseAll(): void {
    for (const hold of this.all) this.let(hold);
  }

  private let(hold: Hold): void {
    const index = this.waiting.indexOf(hold);
    if (index >= 0) this.waiting.splice(index, 1);
    this.all.delete(hold);
    hold.release();
  }
}
