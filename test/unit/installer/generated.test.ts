import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generatedPaths, keepGenerated } from '../../../src/installer/generated.ts';
import type { KubeObject } from '../../../src/kube/index.ts';

const secret = (crt: string): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'cert' },
    data: { 'tls.crt': crt, fixed: 'x' },
  }) as KubeObject;
const webhook = (ca: string): KubeObject =>
  ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'wh' },
    webhooks: [{ name: 'a', clientConfig: { caBundle: ca } }],
  }) as KubeObject;
const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } } as KubeObject;

describe('what a chart generates at random', () => {
  it('is found where two renders differ, leaf by leaf', () => {
    const paths = generatedPaths([secret('A'), webhook('A'), cm], [secret('B'), webhook('B'), cm]);
    assert.deepEqual(paths, [[['data', 'tls.crt']], [['webhooks', 0, 'clientConfig', 'caBundle']], []]);
  });
  it('is kept from the cluster as a group once every object of it is live', () => {
    const desired = [secret('NEW'), webhook('NEW')];
    const paths = [[['data', 'tls.crt']], [['webhooks', 0, 'clientConfig', 'caBundle']]];
    const kept = keepGenerated([
      { desired: desired[0]!, paths: paths[0]!, live: secret('LIVE') },
      { desired: desired[1]!, paths: paths[1]!, live: webhook('LIVE') },
    ]);
    assert.equal(kept, true);
    assert.deepEqual(desired, [secret('LIVE'), webhook('LIVE')]);
  });
  it('is applied fresh, all of it, when any object of the group is missing', () => {
    const desired = [secret('NEW'), webhook('NEW')];
    const kept = keepGenerated([
      { desired: desired[0]!, paths: [['data', 'tls.crt']], live: secret('LIVE') },
      { desired: desired[1]!, paths: [['webhooks', 0, 'clientConfig', 'caBundle']], live: undefined },
    ]);
    assert.equal(kept, false);
    assert.deepEqual(
      desired,
      [secret('NEW'), webhook('NEW')],
      'certificate and caBundle from the same render',
    );
  });
});
