// Is an applied object ready? Judged the way kstatus (sigs.k8s.io/cli-utils,
// used by kubectl/kpt/Flux) does, since there is no TypeScript library for it:
// a generic rule on generation and standard conditions first, then per-kind
// rules for the built-in workloads, and the Ready condition for custom
// resources. Pure: takes the object as the API server returns it (plain JSON)
// and returns a status plus a message a human can act on.

export type HealthStatus = 'Current' | 'InProgress' | 'Failed' | 'NotFound';

export interface Health {
  status: HealthStatus;
  message: string;
}

export interface Condition {
  type: string;
  status?: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

/** Any Kubernetes object as plain JSON; only what is read here is typed. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    generation?: number;
    deletionTimestamp?: string;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/**
 * Names the object in messages when it is missing (NotFound), and fills in
 * apiVersion/kind for items of a List response, which come without them.
 */
export interface ObjectRef {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
}

// --- reading loosely typed JSON ---------------------------------------------------

function rec(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function conditionsOf(obj: KubeObject): Condition[] {
  const list = obj.status?.conditions;
  if (!Array.isArray(list)) return [];
  return list.filter((c): c is Condition => typeof rec(c)?.type === 'string');
}

function condition(obj: KubeObject, type: string): Condition | undefined {
  return conditionsOf(obj).find((c) => c.type === type);
}

function isTrue(c: Condition | undefined): boolean {
  return c?.status === 'True';
}

function describe(ref: ObjectRef): string {
  const kind = ref.kind ?? 'Object';
  const name = ref.name ?? '(unnamed)';
  return ref.namespace ? `${kind} ${ref.namespace}/${name}` : `${kind} ${name}`;
}

// " (reason: message)" from a condition, for messages that point at the cause.
function because(c: Condition | undefined): string {
  if (!c) return '';
  const parts = [c.reason, c.message].filter((p): p is string => !!p);
  return parts.length ? ` (${parts.join(': ')})` : '';
}

// --- results ------------------------------------------------------------------------

function current(who: string, what: string): Health {
  return { status: 'Current', message: `${who}: ${what}` };
}
function inProgress(who: string, what: string): Health {
  return { status: 'InProgress', message: `${who}: ${what}` };
}
function failed(who: string, what: string): Health {
  return { status: 'Failed', message: `${who}: ${what}` };
}

// --- generic rule ----------------------------------------------------------------

// What kstatus checks for every kind before the kind-specific rules. The Ready
// condition is not part of it here: a Pod's Ready=False must not hide the
// CrashLoopBackOff that makes it Failed, so Ready is read per kind instead.
function generic(obj: KubeObject, who: string): Health | undefined {
  if (obj.metadata?.deletionTimestamp) return inProgress(who, 'being deleted');
  const generation = num(obj.metadata?.generation);
  const observed = num(obj.status?.observedGeneration);
  if (generation !== undefined && observed !== undefined && observed !== generation) {
    return inProgress(
      who,
      `waiting for controller to observe generation ${generation} (observed ${observed})`,
    );
  }
  const stalled = condition(obj, 'Stalled');
  if (isTrue(stalled)) return failed(who, `stalled${because(stalled)}`);
  const reconciling = condition(obj, 'Reconciling');
  if (isTrue(reconciling)) return inProgress(who, `reconciling${because(reconciling)}`);
  return undefined;
}

// Built-in controllers always set status.observedGeneration once they have
// seen an object; until then its status says nothing about the current spec.
function notObservedYet(obj: KubeObject, who: string): Health | undefined {
  const generation = num(obj.metadata?.generation);
  if (generation !== undefined && num(obj.status?.observedGeneration) === undefined) {
    return inProgress(who, `waiting for controller to observe generation ${generation}`);
  }
  return undefined;
}

function specReplicas(obj: KubeObject): number {
  return num(obj.spec?.replicas) ?? 1;
}

// --- per kind ------------------------------------------------------------------------

function deployment(obj: KubeObject, who: string): Health {
  const pending = notObservedYet(obj, who);
  if (pending) return pending;
  const progressing = condition(obj, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return failed(who, `rollout exceeded its progress deadline${because(progressing)}`);
  }
  const want = specReplicas(obj);
  const s = obj.status ?? {};
  const replicas = num(s.replicas) ?? 0;
  const updated = num(s.updatedReplicas) ?? 0;
  const available = num(s.availableReplicas) ?? 0;
  const unavailable = num(s.unavailableReplicas) ?? 0;
  if (updated < want) return inProgress(who, `${updated} of ${want} replicas updated`);
  if (replicas > updated) return inProgress(who, `${replicas - updated} old replicas pending termination`);
  if (available < want) return inProgress(who, `${available} of ${want} replicas available`);
  if (unavailable > 0) return inProgress(who, `${unavailable} replicas unavailable`);
  const availableCond = condition(obj, 'Available');
  if (availableCond && !isTrue(availableCond))
    return inProgress(who, `not available${because(availableCond)}`);
  return current(who, `${available} of ${want} replicas available and up to date`);
}

function statefulSet(obj: KubeObject, who: string): Health {
  const pending = notObservedYet(obj, who);
  if (pending) return pending;
  const want = specReplicas(obj);
  const s = obj.status ?? {};
  const replicas = num(s.replicas) ?? 0;
  const ready = num(s.readyReplicas) ?? 0;
  const updated = num(s.updatedReplicas) ?? 0;
  const currentReplicas = num(s.currentReplicas) ?? 0;
  const strategy = rec(obj.spec?.updateStrategy);
  if (replicas < want) return inProgress(who, `${replicas} of ${want} replicas created`);
  if (ready < want) return inProgress(who, `${ready} of ${want} replicas ready`);
  if (replicas > want) return inProgress(who, `${replicas - want} replicas pending termination`);
  // With OnDelete, pods are only replaced when someone deletes them: waiting
  // for an update would wait forever, so readiness is all that counts.
  if (str(strategy?.type) === 'OnDelete')
    return current(who, `${ready} of ${want} replicas ready (OnDelete)`);
  const partition = num(rec(strategy?.rollingUpdate)?.partition) ?? 0;
  if (partition > 0) {
    const expected = Math.max(want - partition, 0);
    if (updated < expected)
      return inProgress(who, `${updated} of ${expected} replicas above partition ${partition} updated`);
    return current(who, `partitioned rollout complete, ${ready} of ${want} replicas ready`);
  }
  if (updated < want) return inProgress(who, `${updated} of ${want} replicas updated`);
  const currentRevision = str(s.currentRevision);
  const updateRevision = str(s.updateRevision);
  if (updateRevision && currentRevision !== updateRevision) {
    return inProgress(
      who,
      `rolling update to revision ${updateRevision} in progress (${currentReplicas} of ${want} at it)`,
    );
  }
  return current(who, `${ready} of ${want} replicas ready`);
}

function daemonSet(obj: KubeObject, who: string): Health {
  const pending = notObservedYet(obj, who);
  if (pending) return pending;
  const s = obj.status ?? {};
  const desired = num(s.desiredNumberScheduled);
  if (desired === undefined) return inProgress(who, 'waiting for the controller to schedule pods');
  const scheduled = num(s.currentNumberScheduled) ?? 0;
  const updated = num(s.updatedNumberScheduled) ?? 0;
  const available = num(s.numberAvailable) ?? 0;
  const ready = num(s.numberReady) ?? 0;
  if (scheduled < desired) return inProgress(who, `${scheduled} of ${desired} pods scheduled`);
  if (updated < desired) return inProgress(who, `${updated} of ${desired} pods updated`);
  if (available < desired) return inProgress(who, `${available} of ${desired} pods available`);
  if (ready < desired) return inProgress(who, `${ready} of ${desired} pods ready`);
  return current(who, `${available} of ${desired} pods available and up to date`);
}

function replicaSet(obj: KubeObject, who: string): Health {
  const pending = notObservedYet(obj, who);
  if (pending) return pending;
  const want = specReplicas(obj);
  const s = obj.status ?? {};
  const replicas = num(s.replicas) ?? 0;
  const ready = num(s.readyReplicas) ?? 0;
  const available = num(s.availableReplicas) ?? 0;
  // Like kstatus: a failure to create pods (quota, admission) may clear up.
  const failure = condition(obj, 'ReplicaFailure');
  if (isTrue(failure)) return inProgress(who, `cannot create replicas${because(failure)}`);
  if (replicas < want) return inProgress(who, `${replicas} of ${want} replicas created`);
  if (ready < want) return inProgress(who, `${ready} of ${want} replicas ready`);
  if (available < want) return inProgress(who, `${available} of ${want} replicas available`);
  if (replicas > want) return inProgress(who, `${replicas - want} replicas pending termination`);
  return current(who, `${available} of ${want} replicas available`);
}

// Waiting reasons after which the kubelet only retries with back-off: nothing
// will change without a fix (image name, pull secret, crashing binary).
const STUCK_WAITING_REASONS = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImageNeverPull',
  'InvalidImageName',
]);

function stuckContainer(obj: KubeObject): string | undefined {
  for (const field of ['initContainerStatuses', 'containerStatuses']) {
    const list = obj.status?.[field];
    if (!Array.isArray(list)) continue;
    for (const cs of list) {
      const waiting = rec(rec(rec(cs)?.state)?.waiting);
      const reason = str(waiting?.reason);
      if (reason && STUCK_WAITING_REASONS.has(reason)) {
        const msg = str(waiting?.message);
        return `container ${str(rec(cs)?.name) ?? '?'} is in ${reason}${msg ? `: ${msg}` : ''}`;
      }
    }
  }
  return undefined;
}

function pod(obj: KubeObject, who: string): Health {
  const phase = str(obj.status?.phase);
  if (phase === 'Succeeded') return current(who, 'completed successfully');
  if (phase === 'Failed') {
    const reason = str(obj.status?.reason);
    return failed(
      who,
      `failed${reason ? ` (${reason})` : ''}${str(obj.status?.message) ? `: ${obj.status?.message}` : ''}`,
    );
  }
  const stuck = stuckContainer(obj);
  if (stuck) return failed(who, stuck);
  if (phase === 'Running') {
    const ready = condition(obj, 'Ready');
    if (isTrue(ready)) return current(who, 'running and ready');
    return inProgress(who, `running but not ready${because(ready)}`);
  }
  const scheduled = condition(obj, 'PodScheduled');
  if (scheduled?.status === 'False') return inProgress(who, `not scheduled yet${because(scheduled)}`);
  return inProgress(who, `phase ${phase ?? 'unknown'}`);
}

function job(obj: KubeObject, who: string): Health {
  const s = obj.status ?? {};
  const succeeded = num(s.succeeded) ?? 0;
  const failedPods = num(s.failed) ?? 0;
  const active = num(s.active) ?? 0;
  const completions = num(obj.spec?.completions) ?? 1;
  const complete = condition(obj, 'Complete');
  if (isTrue(complete)) return current(who, `complete, ${succeeded} of ${completions} succeeded`);
  const failure = condition(obj, 'Failed') ?? condition(obj, 'FailureTarget');
  if (isTrue(failure)) return failed(who, `failed after ${failedPods} failed pods${because(failure)}`);
  if (isTrue(condition(obj, 'Suspended'))) return inProgress(who, 'suspended');
  return inProgress(
    who,
    `running: ${succeeded} of ${completions} succeeded, ${active} active, ${failedPods} failed`,
  );
}

function crd(obj: KubeObject, who: string): Health {
  const names = condition(obj, 'NamesAccepted');
  // A name conflict with another CRD does not resolve by waiting.
  if (names?.status === 'False') return failed(who, `names not accepted${because(names)}`);
  const established = condition(obj, 'Established');
  if (!isTrue(established)) return inProgress(who, `not established yet${because(established)}`);
  if (!isTrue(names)) return inProgress(who, `names not accepted yet${because(names)}`);
  return current(who, 'established');
}

function service(obj: KubeObject, who: string): Health {
  const type = str(obj.spec?.type) ?? 'ClusterIP';
  if (type !== 'LoadBalancer') return current(who, `ready (${type})`);
  const ingress = rec(obj.status?.loadBalancer)?.ingress;
  if (Array.isArray(ingress) && ingress.length > 0) {
    const first = rec(ingress[0]);
    return current(who, `load balancer at ${str(first?.ip) ?? str(first?.hostname) ?? 'an address'}`);
  }
  return inProgress(who, 'waiting for the load balancer to get an external address');
}

function pvc(obj: KubeObject, who: string): Health {
  const phase = str(obj.status?.phase);
  if (phase === 'Bound') return current(who, 'bound');
  if (phase === 'Lost') return failed(who, 'its volume is lost');
  return inProgress(who, `${phase ?? 'Pending'}, not bound to a volume yet`);
}

function namespace(obj: KubeObject, who: string): Health {
  const phase = str(obj.status?.phase);
  if (phase === undefined || phase === 'Active') return current(who, 'active');
  return inProgress(who, phase === 'Terminating' ? 'being deleted' : `phase ${phase}`);
}

function pdb(obj: KubeObject, who: string): Health {
  const pending = notObservedYet(obj, who);
  if (pending) return pending;
  const s = obj.status ?? {};
  const healthy = num(s.currentHealthy) ?? 0;
  const desired = num(s.desiredHealthy) ?? 0;
  if (healthy < desired) return inProgress(who, `${healthy} healthy pods, ${desired} required`);
  return current(who, `${healthy} healthy pods, ${desired} required`);
}

// Custom resources (and anything else unknown): the Ready condition when there
// is one, otherwise an object without a readiness signal counts as Current.
function byReadyCondition(obj: KubeObject, who: string): Health {
  const ready = condition(obj, 'Ready');
  if (!ready) return current(who, 'no readiness condition, counts as ready');
  const generation = num(obj.metadata?.generation);
  const observed = num(ready.observedGeneration);
  if (generation !== undefined && observed !== undefined && observed < generation) {
    return inProgress(who, `Ready condition is from generation ${observed}, waiting for ${generation}`);
  }
  if (isTrue(ready)) return current(who, `ready${because(ready)}`);
  return inProgress(who, `not ready${because(ready)}`);
}

type KindRule = (obj: KubeObject, who: string) => Health;

// Keyed by "group/Kind" so a custom resource that happens to be called
// "Deployment" is not judged by apps/v1 rules.
const RULES: Readonly<Record<string, KindRule>> = {
  'apps/Deployment': deployment,
  'apps/StatefulSet': statefulSet,
  'apps/DaemonSet': daemonSet,
  'apps/ReplicaSet': replicaSet,
  '/Pod': pod,
  'batch/Job': job,
  'apiextensions.k8s.io/CustomResourceDefinition': crd,
  '/Service': service,
  '/PersistentVolumeClaim': pvc,
  '/Namespace': namespace,
  'policy/PodDisruptionBudget': pdb,
};

function ruleFor(apiVersion: string | undefined, kind: string | undefined): KindRule | undefined {
  if (!kind) return undefined;
  if (apiVersion === undefined) {
    // Without an apiVersion the kind alone has to do; built-ins are the likely case.
    const key = Object.keys(RULES).find((k) => k.endsWith(`/${kind}`));
    return key ? RULES[key] : undefined;
  }
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  return RULES[`${group}/${kind}`];
}

/**
 * Judges one object as returned by the API server. A missing object (null or
 * undefined) is NotFound; `ref` names it in the message.
 */
export function assessHealth(obj: KubeObject | null | undefined, ref: ObjectRef = {}): Health {
  if (obj === null || obj === undefined) {
    return { status: 'NotFound', message: `${describe(ref)}: not found` };
  }
  const who = describe({
    kind: obj.kind ?? ref.kind,
    namespace: obj.metadata?.namespace ?? ref.namespace,
    name: obj.metadata?.name ?? ref.name,
  });
  const early = generic(obj, who);
  if (early) return early;
  const rule = ruleFor(obj.apiVersion ?? ref.apiVersion, obj.kind ?? ref.kind);
  if (rule) return rule(obj, who);
  return byReadyCondition(obj, who);
}
