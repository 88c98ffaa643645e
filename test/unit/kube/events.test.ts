import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, NotLeaderError } from '../../../src/kube/errors.ts';
import { type CoreEvent, type EventPatch, EventRecorder, type EventSink } from '../../../src/kube/events.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const obj = (name: string, uid = `uid-${name}`): KubeObject => ({
  apiVersion: 'sdm.example/v1',
  kind: 'ApplicationManifest',
  metadata: { namespace: 'ns', name, uid },
});

/** Plays the API server's Event store; `expire(name)` deletes one, `failNext` makes writes fail. */
function storeSink() {
  const events = new Map<string, CoreEvent>();
  const calls: string[] = [];
  const failNext: Error[] = [];
  const sink: EventSink = {
    async create(e) {
      calls.push(`create ${e.metadata?.name} ${e.count}`);
      const f = failNext.shift();
      if (f) throw f;
      if (events.has(e.metadata!.name!))
        throw new ApiError('POST', '/events', 409, { reason: 'AlreadyExists' } as never);
      const stored = { ...e, metadata: { ...e.metadata, resourceVersion: String(calls.length) } };
      events.set(e.metadata!.name!, stored);
      return stored;
    },
    async patch(_ns, name, p: EventPatch) {
      calls.push(`patch ${name} ${p.count}`);
      const f = failNext.shift();
      if (f) throw f;
      const cur = events.get(name);
      if (!cur) throw new ApiError('PATCH', `/events/${name}`, 404, { reason: 'NotFound' } as never);
      const stored = { ...cur, ...p };
      events.set(name, stored);
      return stored;
    },
  };
  return { sink, events, calls, failNext };
}

describe('EventRecorder', () => {
  it('the same event repeated bumps the count of one Event; a different one creates another', async () => {
    const { sink, events, calls } = storeSink();
    const r = new EventRecorder(sink, { component: 'test', instance: 'pod-1' });
    for (let i = 0; i < 5; i++) r.warning(obj('a'), 'Failed', 'connection refused');
    r.warning(obj('a'), 'Failed', 'timeout');
    r.normal(obj('b'), 'Installed', 'ok');
    await r.flush();
    assert.equal(events.size, 3);
    const refused = [...events.values()].find((e) => e.message === 'connection refused')!;
    assert.equal(refused.count, 5);
    assert.equal(refused.involvedObject.name, 'a');
    assert.equal(refused.involvedObject.uid, 'uid-a');
    assert.equal(refused.metadata?.namespace, 'ns');
    assert.match(refused.metadata!.name!, /^a\.[0-9a-f]+$/);
    assert.equal(refused.source.component, 'test');
    assert.equal(refused.reportingInstance, 'pod-1');
    assert.equal(refused.type, 'Warning');
    assert.deepEqual(
      calls.filter((c) => c.startsWith('patch')).map((c) => c.split(' ')[2]),
      ['2', '3', '4', '5'],
    );
    assert.deepEqual(r.stats, { recorded: 7, skipped: 0, created: 3, patched: 4, dropped: 0, failed: 0 });
  });

  it('1,000 events about one object with differing messages leave 10 Events and write 25 times', async () => {
    const { sink, events, calls } = storeSink();
    const r = new EventRecorder(sink, { component: 'sync' });
    for (let i = 0; i < 1000; i++) r.normal(obj('rule'), 'Synced', `created ConfigMap cm-${i}`);
    await r.flush();
    assert.equal(events.size, 10);
    assert.equal(calls.length, 25);
    assert.equal(r.stats.skipped, 975);
    const combined = [...events.values()].filter((e) =>
      e.message.startsWith('(combined from similar events)'),
    );
    assert.equal(combined.length, 1);
  });

  it('an expired Event is created again under its name with the running count', async () => {
    const { sink, events, calls } = storeSink();
    const r = new EventRecorder(sink, { component: 'test' });
    r.warning(obj('a'), 'Failed', 'x');
    await r.flush();
    const name = [...events.keys()][0]!;
    events.delete(name); // TTL
    r.warning(obj('a'), 'Failed', 'x');
    await r.flush();
    assert.deepEqual(calls, [`create ${name} 1`, `patch ${name} 2`, `create ${name} 2`]);
    assert.equal(events.get(name)?.count, 2);
  });

  it('retries writes the API server never answered, but not refused ones', async () => {
    const { sink, events, failNext } = storeSink();
    const r = new EventRecorder(sink, { component: 'test', retrySleepMs: 1 });
    failNext.push(new Error('ECONNREFUSED'), new Error('ECONNRESET'));
    r.normal(obj('a'), 'R', 'network');
    await r.flush();
    assert.equal(events.size, 1);
    failNext.push(new ApiError('POST', '/events', 403, { reason: 'Forbidden' } as never));
    r.normal(obj('b'), 'R', 'forbidden');
    failNext.push(new NotLeaderError('POST /events'));
    r.normal(obj('c'), 'R', 'not leader');
    await r.flush();
    assert.equal(events.size, 1);
    assert.equal(r.stats.failed, 2);
  });

  it('gives up after maxTries and goes on with the next event', async () => {
    const { sink, events, failNext } = storeSink();
    const r = new EventRecorder(sink, { component: 'test', retrySleepMs: 1, maxTries: 3 });
    failNext.push(new Error('down'), new Error('down'), new Error('down'));
    r.normal(obj('a'), 'R', 'lost');
    r.normal(obj('b'), 'R', 'kept');
    await r.flush();
    assert.deepEqual(
      [...events.values()].map((e) => e.message),
      ['kept'],
    );
    assert.equal(r.stats.failed, 1);
  });

  it('drops events beyond the queue bound instead of growing without limit', async () => {
    const { sink, events } = storeSink();
    const r = new EventRecorder(sink, { component: 'test', maxQueued: 3 });
    for (let i = 0; i < 10; i++) r.normal(obj(`o${i}`), 'R', 'm');
    await r.flush();
    // The first one is taken off the queue at once, so 1 + 3 are written.
    assert.equal(events.size, 4);
    assert.equal(r.stats.dropped, 6);
  });

  it('a failing sink never throws into the caller', async () => {
    const r = new EventRecorder(
      {
        create: () => Promise.reject(new ApiError('POST', '/events', 403, undefined)),
        patch: () => Promise.reject(new ApiError('PATCH', '/events', 403, undefined)),
      },
      { component: 'test' },
    );
    r.warning(obj('a'), 'Failed', 'x');
    r.warning(obj('a'), 'Failed', 'x');
    await r.flush();
    assert.equal(r.stats.failed, 2);
  });

  it('long messages are cut to 1 KiB', async () => {
    const { sink, events } = storeSink();
    const r = new EventRecorder(sink, { component: 'test' });
    r.normal(obj('a'), 'R', 'x'.repeat(5000));
    await r.flush();
    assert.equal([...events.values()][0]!.message.length, 1024);
  });
});
