import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ownershipProblem } from '../../../../src/installer/steps/ownership.ts';
import type { KubeObject } from '../../../../src/kube/index.ts';

const M = 'supertubes.banzaicloud.io/manifest';
const C = 'supertubes.banzaicloud.io/component';
const desired: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'kminion', namespace: 'team-a', labels: { [M]: 'sdm', [C]: 'kafkaMinion' } },
};
const live = (labels: Record<string, string> = {}, manager?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'kminion',
    namespace: 'team-a',
    labels,
    ...(manager ? { managedFields: [{ manager, operation: 'Apply' }] } : {}),
  },
});

describe('ownership of existing objects (Helm 3 rule)', () => {
  it('refuses an object without our labels, naming it and how to adopt it', () => {
    const p = ownershipProblem(desired, live({ app: 'mine' }, 'kubectl'));
    assert.equal(
      p,
      'ConfigMap team-a/kminion exists and cannot be taken over by component kafkaMinion: it was not created by this installer (no ownership labels); ' +
        'to let kafkaMinion manage it, label it supertubes.banzaicloud.io/manifest=sdm and supertubes.banzaicloud.io/component=kafkaMinion, ' +
        'or delete it or move the component to another namespace',
    );
  });

  it("refuses another component's or manifest's object, naming the owner", () => {
    assert.match(
      ownershipProblem(desired, live({ [M]: 'sdm', [C]: 'supertubes' })) ?? '',
      /belongs to component supertubes of ApplicationManifest sdm/,
    );
    assert.match(
      ownershipProblem(desired, live({ [M]: 'other', [C]: 'kafkaMinion' })) ?? '',
      /belongs to component kafkaMinion of ApplicationManifest other/,
    );
  });

  it('takes what is ours: labelled (or adopted by labelling), or made by our field manager', () => {
    assert.equal(ownershipProblem(desired, live({ [M]: 'sdm', [C]: 'kafkaMinion', x: 'y' })), undefined);
    assert.equal(ownershipProblem(desired, live({}, 'sdm-installer')), undefined);
    // Objects that are not a chart's (no labels on the desired object) are not judged here.
    assert.equal(ownershipProblem({ ...desired, metadata: { name: 'kminion' } }, live()), undefined);
  });
});
