// The operator killed with SIGKILL at random moments of an install or an
// update: a new one always converges, with no duplicate and no orphan (every
// object carrying our labels is in an inventory, every inventory entry exists).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type ApplicationManifest,
  ApplicationManifestKind,
} from '../../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { IstioControlPlanes } from '../../../src/installer/engine.ts';
import { LABEL_COMPONENT, LABEL_INVENTORY, readInventory, refKey } from '../../../src/installer/inventory.ts';
import { Client, ConfigMaps, type KubeObject, kind, Secrets, sleep } from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';
import { chartsDir, installOurCrds, repoRoot, seed000Manifest } from './support.ts';

const ref = { namespace: 'supertubes-control-plane', name: 'sdm-applicationmanifest' };
// Every kind the stand-in charts and the catalog produce.
const managedKinds = [
  kind('apps/v1', 'Deployment'),
  kind('v1', 'Service'),
  kind('v1', 'ConfigMap'),
  kind('v1', 'Secret'),
  kind('apiextensions.k8s.io/v1', 'CustomResourceDefinition'),
  kind('monitoring.coreos.com/v1', 'ServiceMonitor'),
  kind('monitoring.coreos.com/v1', 'Prometheus'),
  kind('monitoring.coreos.com/v1', 'Alertmanager'),
  kind('monitoring.coreos.com/v1', 'PrometheusRule'),
  kind('servicemesh.cisco.com/v1alpha1', 'IstioControlPlane'),
];

function startOperator(kubeconfig: string): ChildProcess {
  const child = spawn(
    join(repoRoot, 'node_modules', '.bin', 'node'),
    [
      '--disable-warning=ExperimentalWarning',
      join(repoRoot, 'src/cli/main.ts'),
      'operator',
      '--controllers=applicationmanifest',
      // Killed processes cannot release a Lease; waiting out each one would
      // only slow the test down without testing anything more.
      '--no-leader-election',
      '--health-port=0',
      `--set=charts-dir=${chartsDir}`,
    ],
    {
      env: { ...process.env, KUBECONFIG: kubeconfig, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return child;
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

describe('the operator killed with SIGKILL during an install', () => {
  let cp: ControlPlane;
  let admin: Client;
  let operator: ChildProcess | undefined;
  let playing = true;
  let istio: Promise<void> | undefined;

  before(async () => {
    cp = await startControlPlane({ nodes: 2 });
    admin = Client.fromKubeConfig(cp.kubeConfig());
    await installOurCrds(admin);
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ref.namespace } });
    // Plays Istio's operator: whatever IstioControlPlane appears becomes Available.
    istio = (async () => {
      while (playing) {
        try {
          for (const icp of (await admin.list(IstioControlPlanes)).items) {
            if ((icp as { status?: { status?: string } }).status?.status === 'Available') continue;
            const key = { namespace: icp.metadata?.namespace, name: icp.metadata?.name ?? '' };
            await admin.patch(IstioControlPlanes, key, { status: { status: 'Available' } }, 'merge', {
              subresource: 'status',
            });
          }
        } catch {
          // the CRD is not there yet
        }
        await sleep(300);
      }
    })();
  });
  after(async () => {
    playing = false;
    await istio;
    if (operator) await kill(operator, 'SIGKILL');
    await admin?.transport.close();
    await cp?.stop();
  });

  async function assertNoOrphans(): Promise<void> {
    const inventories = (
      await admin.list(ConfigMaps, { namespace: ref.namespace, labelSelector: `${LABEL_INVENTORY}=true` })
    ).items.map((cm) => readInventory(cm)!);
    const inventoried = new Set<string>();
    for (const inv of inventories) {
      for (const r of inv.objects) {
        assert.ok(!inventoried.has(refKey(r)), `listed twice: ${refKey(r)}`);
        inventoried.add(refKey(r));
      }
    }
    const labelled = new Set<string>();
    for (const k of managedKinds) {
      for (const obj of (await admin.list(k, { labelSelector: `${LABEL_COMPONENT},!${LABEL_INVENTORY}` }))
        .items) {
        const o = obj as KubeObject;
        if (o.metadata?.deletionTimestamp) continue;
        const key = refKey({
          apiVersion: k.apiVersion,
          kind: k.kind,
          namespace: o.metadata?.namespace,
          name: o.metadata?.name ?? '',
        });
        labelled.add(key);
        assert.ok(inventoried.has(key), `orphan: ${key} is labelled as ours but in no inventory`);
      }
    }
    for (const key of inventoried)
      assert.ok(labelled.has(key), `inventory lists ${key}, which does not exist`);
  }

  it('converges after each of 10 kills, with no duplicate and no orphaned object', async () => {
    const base = seed000Manifest();
    base.spec!.istioOperator!.createDefaultMesh = true;
    for (let round = 0; round < 10; round++) {
      // Each round changes something, so the kill lands in real work:
      // kminion comes and goes (install and prune), the Grafana password changes.
      const m = structuredClone(base);
      m.spec!.kafkaMinion = { enabled: round % 2 === 0 };
      m.spec!.monitoring!.prometheusOperator!.valuesOverride = `grafana:\n  adminPassword: pw-${round}\n`;
      await admin.apply(
        { apiVersion: m.apiVersion, kind: m.kind, metadata: ref, spec: m.spec } as KubeObject,
        {
          fieldManager: 'test',
        },
      );
      operator ??= startOperator(cp.kubeconfigPath);
      await sleep(300 + Math.floor(Math.random() * 3500));
      await kill(operator, 'SIGKILL');

      operator = startOperator(cp.kubeconfigPath);
      await eventually(
        async () => {
          const now = (await admin.get(ApplicationManifestKind, ref)) as ApplicationManifest;
          assert.equal(now.status?.observedGeneration, now.metadata?.generation, `round ${round}`);
          assert.equal(
            now.status?.status,
            'Succeeded',
            `round ${round}: ${JSON.stringify(now.status?.components)}`,
          );
        },
        { timeoutMs: 120_000, intervalMs: 250 },
      );
      const kminion = await admin.getIfExists(kind('apps/v1', 'Deployment'), {
        namespace: 'kafka',
        name: 'kminion',
      });
      assert.equal(
        kminion !== undefined && !kminion.metadata?.deletionTimestamp,
        round % 2 === 0,
        `round ${round}: kminion`,
      );
      const secret = await admin.get(Secrets, {
        namespace: 'supertubes-system',
        name: 'prometheus-operator-grafana',
      });
      assert.equal(Buffer.from(secret.data?.['admin-password'] ?? '', 'base64').toString(), `pw-${round}`);
      await assertNoOrphans();
    }
  });
});
