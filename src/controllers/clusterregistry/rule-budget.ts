// Each rule's share of the sync engine's time. Mutating an object (rendering its templates) runs on the
// event loop; a rule with expensive templates must slow only its own sync, never another rule's or the
// process's lease renewal and health checks. A rule that used up its budget in the current window has
// its objects put back until the window ends, so the workers serve the other rules meanwhile.
export interface RuleBudgetOptions {
  /** Length of an accounting window (default 1 s). */
  windowMs?: number;
  /** Time one rule may spend per window (default 200 ms). */
  budgetMs?: number;
  now?: () => number;
}

export class RuleBudget {
  private readonly windowMs: number;
  private readonly budgetMs: number;
  private readonly now: () => number;
  private readonly spent = new Map<string, { start: number; ms: number }>();

  constructor(options: RuleBudgetOptions = {}) {
    this.windowMs = options.windowMs ?? 1000;
    this.budgetMs = options.budgetMs ?? 200;
    this.now = options.now ?? (() => performance.now());
  }

  /** How long the rule must wait before doing more work: 0 when it may go on. */
  delay(rule: string): number {
    const e = this.current(rule);
    return e.ms < this.budgetMs ? 0 : Math.max(1, Math.ceil(e.start + this.windowMs - this.now()));
  }

  /** Books work the rule did. */
  charge(rule: string, ms: number): void {
    this.current(rule).ms += ms;
  }

  forget(rule: string): void {
    this.spent.delete(rule);
  }

  private current(rule: string): { start: number; ms: number } {
    const now = this.now();
    let e = this.spent.get(rule);
    if (!e || now - e.start >= this.windowMs) {
      e = { start: now, ms: 0 };
      this.spent.set(rule, e);
    }
    return e;
  }
}
