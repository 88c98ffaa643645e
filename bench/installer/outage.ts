// Issue 13 items 9 and 10, measured with `sdm operator` as a child process on
// a fresh local control plane (restarted when it exits, with the kubelet's
// CrashLoopBackOff delays: 0 s, then 10 s, 20 s, 40 s... as a pod would be):
//   lease: the gaps between the Lease's renewals while idle (the floor) and
//          while a valuesOverride just under the 256 KiB cap is reconciled;
//          /healthz polled throughout; the lease must never change hands.
//   outage: a valuesOverride change converging with the API server up (the
//          floor), and the same kind of change made right after a 32 s
//          kube-apiserver outage: seconds from the API server's return until
//          the operator has applied it (the goal: within 15 s). The
//          operator exits when its lease cannot be renewed; its restart takes
//          its own lease back at once (identity = POD_NAME, as the chart sets
//          it) and relists at most ~4-6 s apart while the API server is away.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { generateCrds } from '../../src/apis/index.ts';
import {
  type ApplicationManifest,
  ApplicationManifestKind,
} from '../../src/apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import { startControlPlane } from '../../src/devcluster/index.ts';
import { repoRoot } from '../../src/devcluster/tools.ts';
import { assessHealth } from '../../src/installer/health.ts';
import { Client, type KubeObject, kind, sleep } from '../../src/kube/index.ts';

const say = (s: string) => process.stdout.write(`${s}\n`);
const CRDs = kind('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
const Leases = kind('coordination.k8s.io/v1', 'Lease');
const Deployments = kind('apps/v1', 'Deployment');
const NS = 'supertubes-control-plane';
const ref = { namespace: NS, name: 'sdm' };
const t0 = performance.now();
const at = () => ((performance.now() - t0) / 1000).toFixed(1);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function bigOverride(chars: number, extra: string): string {
  const lines = ['unused:'];
  let size = 8;
  for (let i = 0; size < chars - extra.length - 1; i++) {
    const l = `  key${i}: {a: value-${i}, b: [${i}, ${i + 1}], c: "text ${i}"}`;
    lines.push(l);
    size += l.length + 1;
  }
  lines.push(extra);
  return lines.join('\n');
}

const cp = await startControlPlane({ nodes: 1 });
const admin = Client.fromKubeConfig(cp.kubeConfig());
const healthPort = await freePort();
let operator: ChildProcess | undefined;
let stopping = false;
const exits: string[] = [];
try {
  for (const crd of generateCrds()) await admin.apply(crd as unknown as KubeObject);
  for (;;) {
    const all = await Promise.all(generateCrds().map((c) => admin.get(CRDs, { name: c.metadata.name })));
    if (all.every((c) => assessHealth(c as never).status === 'Current')) break;
    await sleep(100);
  }
  await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });

  // The kubelet's restart policy for a crashing container.
  let crashes = 0;
  const startOperator = () => {
    const p = spawn(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        join(repoRoot, 'src/cli/main.ts'),
        'operator',
        '--controllers=applicationmanifest',
        `--leader-election-namespace=${NS}`,
        `--health-port=${healthPort}`,
        `--kubeconfig=${cp.kubeconfigPath}`,
      ],
      {
        // POD_NAME as the chart sets it: every restart is the same pod's container.
        env: {
          ...process.env,
          SDM_CHARTS_DIR: join(repoRoot, 'test/fixtures/charts'),
          POD_NAME: 'sdm-operator-0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    // SDM_BENCH_OPERATOR_LOG=<file prefix>: each run's log, for finding out why it exited.
    const logTo = process.env.SDM_BENCH_OPERATOR_LOG;
    if (logTo) {
      const file = createWriteStream(`${logTo}-${crashes}.log`);
      p.stdout?.pipe(file);
      p.stderr?.pipe(file);
    } else {
      p.stdout?.resume();
      p.stderr?.resume();
    }
    p.on('exit', (code) => {
      if (stopping) return;
      const delay = crashes === 0 ? 0 : Math.min(300, 10 * 2 ** (crashes - 1));
      crashes++;
      exits.push(`${at()} s: operator exited ${code}; restart in ${delay} s`);
      setTimeout(() => {
        if (!stopping) operator = startOperator();
      }, delay * 1000);
    });
    return p;
  };
  operator = startOperator();

  const get = () => admin.get(ApplicationManifestKind, ref) as Promise<ApplicationManifest>;
  // applied: the operator saw the change and wrote it (observedGeneration, Deployment spec);
  // converged: and the manifest is Succeeded, which also needs kube-controller-manager, the
  // scheduler and kwok to have recovered from the outage themselves.
  const converged = async (replicas: number, appliedOnly = false): Promise<boolean> => {
    try {
      const m = await get();
      if (m.status?.observedGeneration !== m.metadata?.generation) return false;
      if (!appliedOnly && m.status?.status !== 'Succeeded') return false;
      const d = (await admin.get(Deployments, { namespace: 'team-a', name: 'kminion' })) as {
        spec?: { replicas?: number };
      };
      return d.spec?.replicas === replicas;
    } catch {
      return false;
    }
  };
  const waitConverged = async (
    replicas: number,
    timeoutMs = 300_000,
    appliedOnly = false,
  ): Promise<number> => {
    const start = performance.now();
    while (!(await converged(replicas, appliedOnly))) {
      if (performance.now() - start > timeoutMs) throw new Error(`not converged to ${replicas} replicas`);
      await sleep(100);
    }
    return performance.now() - start;
  };
  const setOverride = async (valuesOverride: string) => {
    for (;;) {
      try {
        await admin.patch(
          ApplicationManifestKind,
          ref,
          { spec: { kafkaMinion: { valuesOverride } } },
          'merge',
        );
        return;
      } catch {
        await sleep(100); // the API server is still coming back
      }
    }
  };

  await admin.create({
    apiVersion: ApplicationManifestKind.apiVersion,
    kind: ApplicationManifestKind.kind,
    metadata: ref,
    spec: {
      kafkaMinion: { enabled: true, namespace: 'team-a', valuesOverride: 'replicaCount: 1' },
      monitoring: { prometheusOperator: { enabled: false } },
    },
  } as KubeObject);
  await waitConverged(1);
  say(`installed at ${at()} s`);

  // ---- item 9: the lease while a big override is reconciled ----
  interface Watch {
    gaps: number[];
    holders: Set<string>;
    transitions: Set<number>;
    healthFailures: number;
    healthChecks: number;
  }
  const watchLease = (): { stop: () => Promise<Watch> } => {
    const w: Watch = {
      gaps: [],
      holders: new Set(),
      transitions: new Set(),
      healthFailures: 0,
      healthChecks: 0,
    };
    let on = true;
    let last: { renew: string; seenAt: number } | undefined;
    const loop = (async () => {
      while (on) {
        try {
          const lease = (await admin.get(Leases, { namespace: NS, name: 'sdm-operator' })) as {
            spec?: { renewTime?: string; holderIdentity?: string; leaseTransitions?: number };
          };
          const renew = lease.spec?.renewTime ?? '';
          w.holders.add(lease.spec?.holderIdentity ?? '');
          w.transitions.add(lease.spec?.leaseTransitions ?? 0);
          if (last && renew !== last.renew) w.gaps.push(Date.parse(renew) - Date.parse(last.renew));
          if (!last || renew !== last.renew) last = { renew, seenAt: performance.now() };
        } catch {
          // counted by the holders/transitions staying the same
        }
        await sleep(100);
      }
    })();
    const health = (async () => {
      while (on) {
        w.healthChecks++;
        try {
          const r = await fetch(`http://127.0.0.1:${healthPort}/healthz`, {
            signal: AbortSignal.timeout(2000),
          });
          if (!r.ok) w.healthFailures++;
        } catch {
          w.healthFailures++;
        }
        await sleep(500);
      }
    })();
    return {
      stop: async () => {
        on = false;
        await Promise.all([loop, health]);
        return w;
      },
    };
  };
  // SDM_BENCH_SKIP_LEASE=1: the outage part only.
  if (!process.env.SDM_BENCH_SKIP_LEASE) await leasePart();
  async function leasePart() {
    const idle = watchLease();
    await sleep(20_000);
    const floor = await idle.stop();
    const loaded = watchLease();
    const big = bigOverride(255 * 1024, 'replicaCount: 2');
    const startBig = performance.now();
    await setOverride(big);
    await waitConverged(2);
    const bigMs = performance.now() - startBig;
    await sleep(4000); // renewals after the reconcile too
    const load = await loaded.stop();
    const maxGap = (w: Watch) => Math.max(...w.gaps, 0);
    say(
      `lease renew gap: idle max ${maxGap(floor)} ms (floor), during a ${big.length}-char override reconcile ` +
        `(${(bigMs / 1000).toFixed(1)} s) max ${maxGap(load)} ms: ratio ${(maxGap(load) / Math.max(1, maxGap(floor))).toFixed(2)}; ` +
        `holders ${load.holders.size}, lease transitions seen ${[...load.transitions].join(',')}, ` +
        `/healthz failures ${load.healthFailures}/${load.healthChecks}`,
    );
  }

  // ---- item 10: converging after a 32 s API server outage ----
  await setOverride('replicaCount: 3');
  const floorMs = await waitConverged(3);
  say(`a change converges in ${(floorMs / 1000).toFixed(1)} s with the API server up (floor)`);
  await cp.stopComponent('kube-apiserver');
  say(`${at()} s: kube-apiserver stopped`);
  await sleep(32_000);
  await cp.startComponent('kube-apiserver');
  const back = performance.now();
  say(`${at()} s: kube-apiserver back`);
  await setOverride('replicaCount: 4');
  await waitConverged(4, 300_000, true);
  const appliedAfter = performance.now() - back;
  say(`${at()} s: the operator applied the change made after the return`);
  // Succeeded also needs the Deployment Available: kube-controller-manager and kwok
  // recovering from the outage on their own (seen taking minutes: the ReplicaSet's status
  // not updated after the return), which no operator can speed up. Reported, not required.
  let succeeded = 'not Succeeded within 90 s (the Deployment waits for kube-controller-manager)';
  try {
    await waitConverged(4, 90_000);
    succeeded = `Succeeded ${((performance.now() - back) / 1000).toFixed(1)} s after the return`;
  } catch {
    // reported below
  }
  for (const e of exits) say(`  ${e}`);
  say(
    `after a 32 s outage: the change applied ${(appliedAfter / 1000).toFixed(1)} s after the API server's return ` +
      `(goal 15 s; ratio to floor ${(appliedAfter / floorMs).toFixed(1)}); ${succeeded}`,
  );
} finally {
  stopping = true;
  operator?.kill('SIGTERM');
  await sleep(500);
  await admin.transport.close();
  await cp.stop();
}
