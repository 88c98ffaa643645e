// A token bucket (golang.org/x/time/rate's Limiter as client-go's flowcontrol
// uses it): starts full with `burst` tokens, refills `perSecond` tokens a
// second up to `burst`; tryAccept() takes one token if there is one.
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly burst: number;
  private readonly perSecond: number;

  constructor(burst: number, perSecond: number, nowMs: number) {
    this.burst = burst;
    this.perSecond = perSecond;
    this.tokens = burst;
    this.last = nowMs;
  }

  tryAccept(nowMs: number): boolean {
    if (nowMs > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.last) / 1000) * this.perSecond);
      this.last = nowMs;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
