/**
 * The saves of a long run's record (a batch, a rollback) while it runs: one at a time, the newest state last. A save
 * asked while another runs waits, and every save asked meanwhile joins that one: `save` reads the state when it
 * runs, so what it writes is the newest, and an older state never lands over a newer one (a "running" written over
 * the final "finished", on screen for good, was such a bug). Once a joined ask is `final`, the save is.
 */
export class CoalescedSaves {
  private saving: Promise<void>;
  private waiting: { final: boolean } | undefined;

  constructor(
    /** Writes the record as it stands now (the run's last save when `final`). */
    private readonly save: (final: boolean) => Promise<void>,
    /** A save that failed (the next one writes the newer state anyway). */
    private readonly failed: (error: unknown) => void,
    /** A save already under way when the run starts, that the first save asked waits for. */
    first: Promise<void> = Promise.resolve(),
  ) {
    this.saving = first;
  }

  ask(final: boolean): void {
    if (this.waiting) {
      this.waiting.final ||= final;
      return;
    }
    const asking = (this.waiting = { final });
    this.saving = this.saving
      .catch(() => undefined)
      .then(() => {
        this.waiting = undefined;
        return this.save(asking.final);
      });
    this.saving.catch(this.failed);
  }

  /** The save asked last: rejects when it failed (the run's end must be known to be saved). */
  last(): Promise<void> {
    return this.saving;
  }

  /** Resolves once every save asked so far has ended; never rejects. */
  settled(): Promise<void> {
    return this.saving.catch(() => undefined);
  }
}
