// Issue 13 item 7: one watch per (peer, kind, namespace), however many rules use it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedInformers } from '../../../src/controllers/clusterregistry/shared-informers.ts';

class StubInformer {
  started = 0;
  stopped = 0;
  start(): void {
    this.started++;
  }
  async stop(): Promise<void> {
    this.stopped++;
  }
}

describe('SharedInformers', () => {
  it('creates and starts one informer per key, and stops it when the last user lets go', async () => {
    const shared = new SharedInformers<StubInformer>();
    let created = 0;
    const make = () => {
      created++;
      return new StubInformer();
    };
    const a = shared.acquire('peer-b|KafkaCluster', make);
    const b = shared.acquire('peer-b|KafkaCluster', make);
    const c = shared.acquire('peer-c|KafkaCluster', make);
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.equal(created, 2);
    assert.equal(a.started, 1);
    assert.equal(shared.size, 2);
    await shared.release('peer-b|KafkaCluster');
    assert.equal(a.stopped, 0, 'still used by the second rule');
    await shared.release('peer-b|KafkaCluster');
    assert.equal(a.stopped, 1);
    assert.equal(shared.size, 1);
    const again = shared.acquire('peer-b|KafkaCluster', make);
    assert.notEqual(again, a, 'a stopped informer is never handed out again');
    await shared.release('unknown');
  });
});
