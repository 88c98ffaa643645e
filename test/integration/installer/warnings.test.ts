// The API server's warnings reach the user (issue 13 follow-up). The server
// applies some mistakes and says so only in a `Warning: 299` response header.
// Measured on this control plane (v1.36): a server-side apply with an unknown
// field is refused (500 "field not declared in schema", the component Failed
// with that message), but a pod template's `memory: 100m` (100 millibytes,
// meant 100Mi) is applied with the warning "fractional byte value ... is
// invalid". Such a typo in a valuesOverride (the real kminion chart from the
// chart mirror puts .Values.resources into its container) must show: as a
// `warning:` line of `sdm reconcile -f`, and as a Warning Event on the
// ApplicationManifest, from the CLI and from the operator; the object is still
// applied, the component still Available, and a second pass that writes
// nothing says nothing new.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import {
  type ApplicationManifest,
  ApplicationManifestKind,
} from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { registerApplicationManifestController } from '../../../src/installer/controller.ts';
import { Client, kind, Manager, silentLogger } from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';
import { Deployments, repoRoot, sdm } from './support.ts';

const mirror = process.env.SDM_CHARTS_DIR || join(repoRoot, '..', 'shared', 'charts');
const Events = kind('v1', 'Event');
const NS = 'kminion-warn';
const ref = { namespace: 'supertubes-control-plane', name: 'warnings' };

function manifest(override: string): ApplicationManifest {
  return {
    apiVersion: ApplicationManifestKind.apiVersion,
    kind: ApplicationManifestKind.kind,
    metadata: { ...ref },
    spec: { kafkaMinion: { enabled: true, namespace: NS, valuesOverride: override } },
  } as ApplicationManifest;
}

const fractional = (field: 'requests' | 'limits', value: string) =>
  `spec.template.spec.containers[0].resources.${field}[memory]: fractional byte value "${value}" is invalid, must be an integer`;

describe("the API server's warnings about what sdm applies", () => {
  let cp: ControlPlane;
  let admin: Client;
  const tmp = mkdtempSync(join(tmpdir(), 'sdm-warnings-test-'));
  const file = join(tmp, 'manifest.yaml');
  const run = () =>
    sdm(['reconcile', '-f', file, '--timeout', '3m', '--kubeconfig', cp.kubeconfigPath], {
      SDM_CHARTS_DIR: mirror,
    });
  const warningEvents = async () =>
    (await admin.list(Events, { namespace: ref.namespace })).items.filter(
      (e) => (e as { reason?: string }).reason === 'APIServerWarning',
    ) as (Record<string, unknown> & {
      type?: string;
      message?: string;
      count?: number;
      involvedObject?: { kind?: string; name?: string };
    })[];

  before(async () => {
    assert.ok(existsSync(join(mirror, 'kminion', 'Chart.yaml')), `the chart mirror has kminion (${mirror})`);
    cp = await startControlPlane({ nodes: 1 });
    admin = Client.fromKubeConfig(cp.kubeConfig());
  });
  after(async () => {
    await admin?.transport.close();
    await cp?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('prints a warning line and records a Warning Event for a fractional memory size, and applies the object', async () => {
    writeFileSync(file, stringify(manifest('resources:\n  requests:\n    memory: 100m\n')));
    const r = await run();
    assert.equal(r.code, 0, r.stderr);
    const line = `warning: kafkaMinion: Deployment/kminion: ${fractional('requests', '100m')}`;
    assert.equal(r.stderr.split('\n').filter((l) => l === line).length, 1, r.stderr);
    assert.match(r.stdout, /^kafkaMinion\s+Available/m);
    // Applied all the same: a warning never fails a component.
    const d = (await admin.get(Deployments, { namespace: NS, name: 'kminion' })) as {
      spec: { template: { spec: { containers: { resources?: Record<string, unknown> }[] } } };
    };
    assert.deepEqual(d.spec.template.spec.containers[0]?.resources, { requests: { memory: '100m' } });
    const events = await eventually(async () => {
      const e = await warningEvents();
      assert.equal(e.length, 1, JSON.stringify(e));
      return e;
    });
    assert.equal(events[0]?.type, 'Warning');
    assert.equal(events[0]?.message, `kafkaMinion: Deployment/kminion: ${fractional('requests', '100m')}`);
    assert.deepEqual(
      { kind: events[0]?.involvedObject?.kind, name: events[0]?.involvedObject?.name },
      { kind: 'ApplicationManifest', name: ref.name },
    );
  });

  it('says nothing new on a second reconcile that writes nothing', async () => {
    const before = await warningEvents();
    const r = await run();
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /warning:/);
    const now = await warningEvents();
    assert.deepEqual(
      now.map((e) => [e.message, e.count]),
      before.map((e) => [e.message, e.count]),
    );
  });

  it('the operator records a new warning as a Warning Event too', async () => {
    const manager = new Manager({
      kubeConfig: cp.kubeConfig(),
      handleSignals: false,
      logger: silentLogger(),
    });
    registerApplicationManifestController(manager, { chartsDir: mirror });
    void manager.start();
    try {
      await admin.patch(
        ApplicationManifestKind,
        ref,
        {
          spec: {
            kafkaMinion: {
              valuesOverride: 'resources:\n  requests:\n    memory: 100m\n  limits:\n    memory: 300m\n',
            },
          },
        },
        'merge',
      );
      const message = `kafkaMinion: Deployment/kminion: ${fractional('limits', '300m')}`;
      await eventually(
        async () => {
          const e = await warningEvents();
          assert.ok(
            e.some((x) => x.message === message && x.type === 'Warning'),
            JSON.stringify(e.map((x) => x.message)),
          );
        },
        { timeoutMs: 120_000 },
      );
    } finally {
      await manager.stop();
    }
  });
});
