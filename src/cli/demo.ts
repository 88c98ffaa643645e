// `sdm demo`: what `make demo` runs. Starts (or reuses) a local control plane
// named "demo" and shows it working: fake nodes, a Deployment becoming Available,
// then the installer: CRDs, the operator (in this process, holding its Lease),
// seed 000's ApplicationManifest, progress until Succeeded, the status table.
// The real upstream charts when a chart mirror is there (SDM_CHARTS_DIR or
// ../shared/charts), else the stand-ins of test/fixtures/charts (demo-charts.ts);
// the demo plays Istio's operator.

import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { Command } from 'commander';
import { listControlPlanes, openControlPlane, startControlPlane } from '../devcluster/index.ts';
import { runKafkaDemo } from './demo-kafka.ts';
import { runInstallerDemo } from './installer-demo.ts';

const say = (message: string) => process.stdout.write(`${message}\n`);

export function demoCommand(): Command {
  return new Command('demo')
    .description('start a local control plane named "demo" and show it working')
    .option('--name <name>', 'control plane name', 'demo')
    .action(async (opts: { name: string }) => {
      const existing = listControlPlanes().find((c) => c.state.name === opts.name && c.stopped.length === 0);
      const cp = existing
        ? openControlPlane(opts.name)
        : await startControlPlane({
            name: opts.name,
            nodes: 2,
            lifetime: 'detached',
            progress: (m) => say(`  ${m}`),
          });
      say(`control plane ${cp.name} at ${cp.server}`);
      const kc = cp.kubeConfig();
      const core = kc.makeApiClient(CoreV1Api);
      const apps = kc.makeApiClient(AppsV1Api);
      for (const n of (await core.listNode()).items) {
        const ready = n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
        say(`  node ${n.metadata?.name}: ${ready ? 'Ready' : 'NotReady'}`);
      }
      const namespace = 'sdm-demo';
      await core.createNamespace({ body: { metadata: { name: namespace } } }).catch(() => undefined);
      await apps.deleteNamespacedDeployment({ namespace, name: 'hello' }).catch(() => undefined);
      while (
        await apps.readNamespacedDeployment({ namespace, name: 'hello' }).then(
          () => true,
          () => false,
        )
      )
        await sleep(200);
      await apps.createNamespacedDeployment({
        namespace,
        body: {
          metadata: { name: 'hello' },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: 'hello' } },
            template: {
              metadata: { labels: { app: 'hello' } },
              spec: { containers: [{ name: 'hello', image: 'registry.k8s.io/pause:3.10' }] },
            },
          },
        },
      });
      say(`  created Deployment ${namespace}/hello with 2 replicas`);
      const started = Date.now();
      for (;;) {
        const d = await apps.readNamespacedDeployment({ namespace, name: 'hello' });
        const available = d.status?.availableReplicas ?? 0;
        if (available === 2) break;
        if (Date.now() - started > 60_000)
          throw new Error(`Deployment not Available after 60s (${available}/2)`);
        await sleep(250);
      }
      say(
        `  Deployment ${namespace}/hello Available (2/2) in ${((Date.now() - started) / 1000).toFixed(1)}s`,
      );
      say('');
      await runInstallerDemo(kc, say);
      say('');
      await runKafkaDemo(cp, say);
      say('');
      say(`export KUBECONFIG=${cp.kubeconfigPath}`);
      say('bin/sdm status   # the platform, per component');
      say(`stop it with: bin/sdm dev-cluster down --name ${cp.name}`);
    });
}
