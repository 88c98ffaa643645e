// Issue 13 item 7: each rule has its own share of time; one rule that used it waits, the others do not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuleBudget } from '../../../src/controllers/clusterregistry/rule-budget.ts';

describe('RuleBudget', () => {
  it('lets a rule work until it used its budget in the window, then makes it wait until the window ends', () => {
    let now = 0;
    const b = new RuleBudget({ windowMs: 1000, budgetMs: 200, now: () => now });
    assert.equal(b.delay('big'), 0);
    b.charge('big', 150);
    assert.equal(b.delay('big'), 0);
    now = 100;
    b.charge('big', 900);
    assert.equal(b.delay('big'), 900, 'waits for the rest of the window');
    assert.equal(b.delay('benign'), 0, 'another rule is not held up');
    b.charge('benign', 10);
    assert.equal(b.delay('benign'), 0);
    now = 1000;
    assert.equal(b.delay('big'), 0, 'a new window starts with a fresh budget');
  });

  it('forgets a rule', () => {
    let now = 0;
    const b = new RuleBudget({ windowMs: 1000, budgetMs: 10, now: () => now });
    b.charge('r', 50);
    assert.ok(b.delay('r') > 0);
    b.forget('r');
    now = 1;
    assert.equal(b.delay('r'), 0);
  });
});
