import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byControllerUid, byNamespace, Store } from '../../../src/kube/store.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const cm = (ns: string, name: string, owner?: string, rv = '1'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    namespace: ns,
    name,
    resourceVersion: rv,
    ownerReferences: owner
      ? [{ apiVersion: 'v1', kind: 'X', name: 'o', uid: owner, controller: true }]
      : undefined,
  },
});

describe('Store indexers', () => {
  it('finds objects by index value and follows updates and deletes', () => {
    const s = new Store({ namespace: byNamespace, owner: byControllerUid });
    s.set(cm('a', 'one', 'u1'));
    s.set(cm('a', 'two', 'u1'));
    s.set(cm('b', 'three', 'u2'));
    assert.deepEqual(
      s
        .byIndex('owner', 'u1')
        .map((o) => o.metadata?.name)
        .sort(),
      ['one', 'two'],
    );
    assert.equal(s.byIndex('namespace', 'b').length, 1);

    s.set(cm('a', 'two', 'u2', '2')); // owner changed
    assert.deepEqual(
      s.byIndex('owner', 'u1').map((o) => o.metadata?.name),
      ['one'],
    );
    assert.deepEqual(
      s
        .byIndex('owner', 'u2')
        .map((o) => o.metadata?.name)
        .sort(),
      ['three', 'two'],
    );

    s.delete('a/one');
    assert.deepEqual(s.byIndex('owner', 'u1'), []);
    assert.deepEqual(s.indexValues('owner').sort(), ['u2'], 'empty index values are dropped');
  });

  it('an indexer added later indexes what is already stored', () => {
    const s = new Store();
    s.set(cm('a', 'one'));
    s.addIndexer('namespace', byNamespace);
    assert.equal(s.byIndex('namespace', 'a').length, 1);
    assert.throws(() => s.byIndex('nope', 'x'), /no indexer/);
  });

  it('keys cluster-scoped objects by name', () => {
    const s = new Store();
    s.set({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kafka' } });
    assert.equal(s.get('kafka')?.metadata?.name, 'kafka');
  });
});
