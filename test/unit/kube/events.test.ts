import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/kube/errors.ts';
import { type CoreEvent, EventRecorder, type EventSink, eventKey } from '../../../src/kube/events.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const obj = (name: string, uid = `uid-${name}`): KubeObject => ({
  apiVersion: 'sdm.example/v1',
  kind: 'ApplicationManifest',
  metadata: { namespace: 'ns', name, uid },
});

/** Records what the recorder asks for; `expired` names make bump() fail with 404. */
function recordingSink() {
  const created: CoreEvent[] = [];
  const bumps: { name: string; count: number }[] = [];
  const expired = new Set<string>();
  const sink: EventSink = {
    async create(e) {
      created.push(e);
    },
    async bump(_ns, name, count) {
      if (expired.has(name)) throw new ApiError('PATCH', `/events/${name}`, 404, { reason: 'NotFound' });
      bumps.push({ name, count });
    },
  };
  return { sink, created, bumps, expired };
}

describe('EventRecorder aggregation', () => {
  it('keys on object, type, reason, message and component', () => {
    const k = eventKey(obj('a'), 'Warning', 'Failed', 'boom', 'c');
    assert.equal(k, eventKey(obj('a'), 'Warning', 'Failed', 'boom', 'c'));
    for (const other of [
      eventKey(obj('b'), 'Warning', 'Failed', 'boom', 'c'),
      eventKey(obj('a', 'other-uid'), 'Warning', 'Failed', 'boom', 'c'),
      eventKey(obj('a'), 'Normal', 'Failed', 'boom', 'c'),
      eventKey(obj('a'), 'Warning', 'Other', 'boom', 'c'),
      eventKey(obj('a'), 'Warning', 'Failed', 'bang', 'c'),
      eventKey(obj('a'), 'Warning', 'Failed', 'boom', 'd'),
    ]) {
      assert.notEqual(k, other);
    }
  });

  it('the same event repeated bumps the count of one Event; a different one creates another', async () => {
    const { sink, created, bumps } = recordingSink();
    const r = new EventRecorder(sink, { component: 'test' });
    for (let i = 0; i < 5; i++) r.warning(obj('a'), 'Failed', 'connection refused');
    r.warning(obj('a'), 'Failed', 'timeout');
    r.normal(obj('b'), 'Installed', 'ok');
    await r.flush();
    assert.equal(created.length, 3);
    const first = created[0]!;
    assert.equal(first.involvedObject.name, 'a');
    assert.equal(first.count, 1);
    assert.equal(first.metadata?.namespace, 'ns');
    assert.deepEqual(
      bumps.map((b) => [b.name, b.count]),
      [2, 3, 4, 5].map((n) => [first.metadata?.name, n]),
    );
  });

  it('starts a new Event when the aggregated one has expired', async () => {
    const { sink, created, expired } = recordingSink();
    const r = new EventRecorder(sink, { component: 'test' });
    r.warning(obj('a'), 'Failed', 'x');
    await r.flush();
    expired.add(created[0]!.metadata!.name!);
    r.warning(obj('a'), 'Failed', 'x');
    await r.flush();
    assert.equal(created.length, 2);
    assert.equal(created[1]!.count, 1);
  });

  it('forgets the least recently used events beyond its cache size', async () => {
    const { sink, created } = recordingSink();
    const r = new EventRecorder(sink, { component: 'test', cacheSize: 2 });
    r.normal(obj('a'), 'R', 'm');
    r.normal(obj('b'), 'R', 'm');
    await r.flush();
    r.normal(obj('a'), 'R', 'm'); // a is now most recent
    r.normal(obj('c'), 'R', 'm'); // evicts b
    await r.flush();
    r.normal(obj('b'), 'R', 'm');
    await r.flush();
    assert.deepEqual(
      created.map((e) => e.involvedObject.name),
      ['a', 'b', 'c', 'b'],
    );
  });

  it('a failing sink never throws into the caller', async () => {
    const r = new EventRecorder(
      {
        create: () => Promise.reject(new Error('forbidden')),
        bump: () => Promise.reject(new Error('forbidden')),
      },
      { component: 'test' },
    );
    r.warning(obj('a'), 'Failed', 'x');
    await r.flush();
  });
});
