import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CoreEvent,
  type CorrelateResult,
  EventCorrelator,
  eventKey,
  spamKey,
} from '../../../src/kube/event-correlator.ts';
import { LruCache } from '../../../src/kube/lru-cache.ts';
import { TokenBucket } from '../../../src/kube/token-bucket.ts';

/** A clock the test moves by hand. */
function manualClock(start = Date.parse('2026-01-01T00:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

let seq = 0;
function ev(
  over: { name?: string; uid?: string; type?: 'Normal' | 'Warning'; reason?: string; message?: string } = {},
): CoreEvent {
  const name = over.name ?? 'rule';
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${name}.${(seq++).toString(16)}`, namespace: 'ns' },
    involvedObject: {
      apiVersion: 'x/v1',
      kind: 'Rule',
      namespace: 'ns',
      name,
      uid: over.uid ?? `uid-${name}`,
    },
    reason: over.reason ?? 'Synced',
    message: over.message ?? 'm',
    type: over.type ?? 'Normal',
    count: 1,
    firstTimestamp: '2026-01-01T00:00:00Z',
    lastTimestamp: '2026-01-01T00:00:00Z',
    source: { component: 'c' },
    reportingComponent: 'c',
    reportingInstance: 'i',
  };
}

/** Plays the server: keeps what was written by name, so a test can count Event objects. */
function apply(stored: Map<string, CoreEvent>, c: EventCorrelator, r: CorrelateResult): void {
  if (r.skip) return;
  const name = r.event.metadata!.name!;
  if (r.patch) {
    const cur = stored.get(name);
    assert.ok(cur, `patch of ${name}, which was never created`);
    stored.set(name, { ...cur, ...r.patch });
  } else {
    assert.ok(!stored.has(name), `create of ${name} twice`);
    stored.set(name, r.event);
  }
  c.updateState(stored.get(name)!);
}

describe('EventCorrelator (client-go events_cache semantics)', () => {
  it('keys: identical events share eventKey; the spam key ignores type, reason and message', () => {
    assert.equal(eventKey(ev()), eventKey(ev()));
    assert.notEqual(eventKey(ev()), eventKey(ev({ message: 'other' })));
    assert.notEqual(eventKey(ev()), eventKey(ev({ uid: 'other' })));
    assert.equal(spamKey(ev()), spamKey(ev({ type: 'Warning', reason: 'Failed', message: 'x' })));
    assert.notEqual(spamKey(ev()), spamKey(ev({ name: 'other' })));
  });

  it('an identical event counts onto the first one: same name, count and lastTimestamp move', () => {
    const clock = manualClock();
    const c = new EventCorrelator({ now: clock.now });
    const first = c.correlate(ev());
    assert.ok(!first.skip && !first.patch);
    clock.advance(61_000);
    const e2 = ev();
    e2.lastTimestamp = '2026-01-01T00:01:01Z';
    const second = c.correlate(e2);
    assert.ok(!second.skip);
    assert.equal(second.event.metadata?.name, first.event.metadata?.name);
    assert.deepEqual(second.patch, { count: 2, lastTimestamp: '2026-01-01T00:01:01Z', message: 'm' });
    assert.equal(second.event.firstTimestamp, '2026-01-01T00:00:00Z');
  });

  it('the 10th distinct message of similar events within 10 minutes starts one combined event', () => {
    const clock = manualClock();
    const c = new EventCorrelator({ now: clock.now });
    const stored = new Map<string, CoreEvent>();
    const results: CorrelateResult[] = [];
    for (let i = 0; i < 12; i++) {
      clock.advance(1000);
      const r = c.correlate(ev({ message: `created ConfigMap cm-${i}` }));
      results.push(r);
      apply(stored, c, r);
    }
    // 9 events of their own, then a combined one (created by the 10th, patched by the 11th and 12th).
    assert.equal(stored.size, 10);
    const combined = [...stored.values()].filter((e) =>
      e.message.startsWith('(combined from similar events): '),
    );
    assert.equal(combined.length, 1);
    assert.equal(combined[0]!.count, 3);
    assert.equal(combined[0]!.message, '(combined from similar events): created ConfigMap cm-11');
    const tenth = results[9]!;
    assert.ok(!tenth.skip && !tenth.patch);
    assert.equal(tenth.event.reason, 'Synced');
    assert.equal(tenth.event.involvedObject.name, 'rule');
  });

  it('similar events further apart than 10 minutes are not combined', () => {
    const clock = manualClock();
    const c = new EventCorrelator({ now: clock.now });
    const stored = new Map<string, CoreEvent>();
    for (let i = 0; i < 20; i++) {
      clock.advance(601_000); // over the interval, and refills the spam budget meanwhile
      apply(stored, c, c.correlate(ev({ message: `m${i}` })));
    }
    assert.equal(stored.size, 20);
    assert.ok([...stored.values()].every((e) => !e.message.startsWith('(combined')));
  });

  it('other reasons, types and objects are aggregated separately', () => {
    const c = new EventCorrelator({ now: manualClock().now });
    const stored = new Map<string, CoreEvent>();
    for (let i = 0; i < 9; i++) {
      apply(stored, c, c.correlate(ev({ message: `a${i}` })));
      apply(stored, c, c.correlate(ev({ reason: 'Deleted', message: `b${i}` })));
      apply(stored, c, c.correlate(ev({ name: 'other', message: `c${i}` })));
    }
    assert.equal(stored.size, 27);
    assert.ok([...stored.values()].every((e) => !e.message.startsWith('(combined')));
  });

  it('spam filter: 25 events per source and object, then one every 5 minutes; the count stays true', () => {
    const clock = manualClock();
    const c = new EventCorrelator({ now: clock.now });
    const stored = new Map<string, CoreEvent>();
    let skipped = 0;
    for (let i = 0; i < 40; i++) {
      const r = c.correlate(ev({ message: 'same' }));
      if (r.skip) skipped++;
      apply(stored, c, r);
    }
    assert.equal(skipped, 15);
    assert.equal(stored.size, 1);
    assert.equal([...stored.values()][0]!.count, 25);
    // Another object has its own budget.
    assert.ok(!c.correlate(ev({ name: 'other' })).skip);
    clock.advance(299_000);
    assert.ok(c.correlate(ev({ message: 'same' })).skip);
    clock.advance(2000);
    const r = c.correlate(ev({ message: 'same' }));
    assert.ok(!r.skip);
    assert.equal(r.patch?.count, 42); // 40 + the skipped one at 299 s + this one
  });

  it('1,000 distinct messages about one object leave 10 Event objects (client-go: 9 + 1 combined)', () => {
    const clock = manualClock();
    const c = new EventCorrelator({ now: clock.now });
    const stored = new Map<string, CoreEvent>();
    let writes = 0;
    for (let i = 0; i < 1000; i++) {
      clock.advance(5);
      const r = c.correlate(ev({ message: `created ConfigMap bench/cm-${i}` }));
      if (!r.skip) writes++;
      apply(stored, c, r);
    }
    assert.equal(stored.size, 10);
    assert.equal(writes, 25);
    const combined = [...stored.values()].find((e) => e.message.startsWith('(combined'));
    assert.equal(combined?.count, 16); // the 10th..25th messages that got through the filter
  });

  it('a Warning after a burst of Normal events about the same object waits for the budget (client-go)', () => {
    const clock = manualClock();
    const c = new EventCorrelator({ now: clock.now });
    for (let i = 0; i < 25; i++) assert.ok(!c.correlate(ev({ message: `m${i}` })).skip);
    assert.ok(c.correlate(ev({ type: 'Warning', reason: 'SyncFailed', message: 'boom' })).skip);
    clock.advance(300_000);
    assert.ok(!c.correlate(ev({ type: 'Warning', reason: 'SyncFailed', message: 'boom' })).skip);
  });

  it('updateState keeps the resourceVersion the server returned for the next patch', () => {
    const c = new EventCorrelator({ now: manualClock().now });
    const r1 = c.correlate(ev());
    assert.ok(!r1.skip);
    c.updateState({ ...r1.event, metadata: { ...r1.event.metadata, resourceVersion: '42' } });
    const r2 = c.correlate(ev());
    assert.ok(!r2.skip);
    assert.equal(r2.event.metadata?.resourceVersion, '42');
    assert.equal(r2.patch?.count, 2);
  });

  it('state is bounded: an evicted event starts a new Event object', () => {
    const c = new EventCorrelator({ now: manualClock().now, lruCacheSize: 2 });
    const a1 = c.correlate(ev({ name: 'a' }));
    c.correlate(ev({ name: 'b' }));
    c.correlate(ev({ name: 'c' })); // evicts a
    const a2 = c.correlate(ev({ name: 'a' }));
    assert.ok(!a1.skip && !a2.skip);
    assert.equal(a2.patch, undefined);
    assert.notEqual(a2.event.metadata?.name, a1.event.metadata?.name);
  });
});

describe('TokenBucket', () => {
  it('starts full, refills at its rate, never above burst', () => {
    const b = new TokenBucket(2, 1, 0);
    assert.deepEqual([b.tryAccept(0), b.tryAccept(0), b.tryAccept(0)], [true, true, false]);
    assert.equal(b.tryAccept(999), false);
    assert.equal(b.tryAccept(1000), true);
    assert.deepEqual([b.tryAccept(60_000), b.tryAccept(60_000), b.tryAccept(60_000)], [true, true, false]);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used; get refreshes', () => {
    const l = new LruCache<string, number>(2);
    l.set('a', 1);
    l.set('b', 2);
    assert.equal(l.get('a'), 1);
    l.set('c', 3);
    assert.equal(l.get('b'), undefined);
    assert.equal(l.get('a'), 1);
    assert.equal(l.size, 2);
    assert.throws(() => new LruCache(0), /maxEntries/);
  });
});
