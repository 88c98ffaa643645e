// The status helper writes only when the status differs from the server's,
// and conditions keep lastTransitionTime across reconciles that change nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Client } from '../../../src/kube/client.ts';
import { findCondition, setReadiness } from '../../../src/kube/conditions.ts';
import { writeStatusIfChanged } from '../../../src/kube/status.ts';
import { type Condition, type KubeObject, kind } from '../../../src/kube/types.ts';

interface Widget extends KubeObject {
  status?: { phase?: string; count?: number; conditions?: Condition[] };
}
const Widgets = kind<Widget>('example.com/v1', 'Widget');

function recordingClient() {
  const writes: KubeObject[] = [];
  const client = {
    applyStatus: async (obj: KubeObject) => {
      writes.push(obj);
      return obj;
    },
  } as unknown as Client;
  return { client, writes };
}

const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T00:05:00Z');

describe('writeStatusIfChanged', () => {
  it('writes a changed status through the status subresource with only name, namespace and status', async () => {
    const { client, writes } = recordingClient();
    const current: Widget = {
      metadata: { name: 'w', namespace: 'ns', uid: 'u', resourceVersion: '7', labels: { a: 'b' } },
      status: { phase: 'Pending' },
    };
    assert.equal(await writeStatusIfChanged(client, Widgets, current, { phase: 'Ready' }), true);
    assert.deepEqual(writes, [
      {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w', namespace: 'ns' },
        status: { phase: 'Ready' },
      },
    ]);
  });

  it('writes nothing when the status is JSON-equal to the server’s (key order, undefined fields)', async () => {
    const { client, writes } = recordingClient();
    const current: Widget = { metadata: { name: 'w' }, status: { count: 2, phase: 'Ready' } };
    const wrote = await writeStatusIfChanged(client, Widgets, current, {
      phase: 'Ready',
      count: 2,
      conditions: undefined,
    });
    assert.equal(wrote, false);
    assert.equal(writes.length, 0);
  });

  it('a caller-defined comparison decides what counts as a change', async () => {
    const { client, writes } = recordingClient();
    const current: Widget = { metadata: { name: 'w' }, status: { phase: 'Ready', count: 5 } };
    const ignoreCount = (a: Widget['status'], b: Widget['status']) => a?.phase === b?.phase;
    assert.equal(
      await writeStatusIfChanged(
        client,
        Widgets,
        current,
        { phase: 'Ready', count: 4 },
        { unchanged: ignoreCount },
      ),
      false,
    );
    assert.equal(
      await writeStatusIfChanged(
        client,
        Widgets,
        current,
        { phase: 'Failed', count: 4 },
        { unchanged: ignoreCount },
      ),
      true,
    );
    assert.equal(writes.length, 1);
  });

  it('a second reconcile that concludes the same writes nothing (lastTransitionTime kept)', async () => {
    const { client, writes } = recordingClient();
    const first = setReadiness(undefined, { state: 'Reconciling', reason: 'Installing' }, 3, t0);
    const current: Widget = { metadata: { name: 'w' }, status: { conditions: first } };
    const again = setReadiness(
      current.status?.conditions,
      { state: 'Reconciling', reason: 'Installing' },
      3,
      t1,
    );
    assert.equal(await writeStatusIfChanged(client, Widgets, current, { conditions: again }), false);
    const ready = setReadiness(current.status?.conditions, { state: 'Ready', reason: 'Succeeded' }, 3, t1);
    assert.equal(findCondition(ready, 'Ready')?.lastTransitionTime, '2026-01-01T00:05:00Z');
    assert.equal(findCondition(ready, 'Ready')?.observedGeneration, 3);
    assert.equal(findCondition(ready, 'Reconciling'), undefined);
    assert.equal(await writeStatusIfChanged(client, Widgets, current, { conditions: ready }), true);
    assert.equal(writes.length, 1);
  });

  it('stalled: Stalled=True and Ready=False with the reason, Reconciling removed', () => {
    const c = setReadiness(
      setReadiness(undefined, { state: 'Reconciling', reason: 'Installing' }, 1, t0),
      { state: 'Stalled', reason: 'InvalidSpec', message: 'spec.x: bad' },
      2,
      t1,
    );
    assert.deepEqual(c.map((x) => [x.type, x.status, x.reason]).sort(), [
      ['Ready', 'False', 'InvalidSpec'],
      ['Stalled', 'True', 'InvalidSpec'],
    ]);
  });
});
