import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { warningReporter } from '../../../../src/cli/installer-support.ts';
import { ApiWarnings, warningMessage } from '../../../../src/installer/steps/api-warnings.ts';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'kminion', namespace: 'k' },
};
const manifest = {
  apiVersion: 'supertubes.banzaicloud.io/v1beta1',
  kind: 'ApplicationManifest',
  metadata: { name: 'm' },
};

describe('ApiWarnings', () => {
  it('keeps each text once per component and object, in the order first seen', () => {
    const w = new ApiWarnings();
    const onDeployment = w.for('kafkaMinion', deployment);
    onDeployment('b');
    onDeployment('a');
    onDeployment('b');
    w.for('kafkaMinion', { ...deployment, kind: 'Service' })('b');
    w.for('other', deployment)('b');
    assert.deepEqual(w.list().map(warningMessage), [
      'kafkaMinion: Deployment/kminion: b',
      'kafkaMinion: Deployment/kminion: a',
      'kafkaMinion: Service/kminion: b',
      'other: Deployment/kminion: b',
    ]);
  });
});

describe('warningReporter (the CLI)', () => {
  it('prints a warning line and records a Warning Event once per distinct warning of the run', () => {
    const lines: string[] = [];
    const events: string[] = [];
    const report = warningReporter(
      manifest,
      { warning: (obj, reason, message) => events.push(`${obj.kind} ${reason} ${message}`) },
      (s) => lines.push(s),
    );
    const w = { component: 'kafkaMinion', object: 'Deployment/kminion', text: 'x, "y"' };
    report([w]);
    report([w, { ...w, text: 'z' }]);
    report([]);
    assert.deepEqual(lines, [
      'warning: kafkaMinion: Deployment/kminion: x, "y"\n',
      'warning: kafkaMinion: Deployment/kminion: z\n',
    ]);
    assert.deepEqual(events, [
      'ApplicationManifest APIServerWarning kafkaMinion: Deployment/kminion: x, "y"',
      'ApplicationManifest APIServerWarning kafkaMinion: Deployment/kminion: z',
    ]);
  });
});
