// Wiring of the image pull secrets controller: informers on ImagePullSecrets,
// namespaces, pull/source Secrets (and pods, once an ImagePullSecret asks for
// namespacesWithPods) feed one work queue keyed by ImagePullSecret name. The
// reconcile reads caches, asks desired.ts for a plan and carries it out.
import type { ImagePullSecret } from '../../apis/images.banzaicloud.io/v1alpha1/imagepullsecret.ts';
import { ECR_LOGIN_CONFIG_SECRET_TYPES } from '../../apis/images.banzaicloud.io/v1alpha1/imagepullsecret.ts';
import { BanzaiImagePullSecretKind, CiscoImagePullSecretKind } from '../../apis/index.ts';
import {
  type Controller,
  type EventRecorder,
  errorMessage,
  type Informer,
  isAlreadyExists,
  isForbidden,
  isNotFound,
  type Kind,
  type KubeObject,
  kind,
  type Manager,
  Namespaces,
  type Predicate,
  type ReconcileContext,
  type ReconcileResult,
  type Request,
  type Secret,
  Secrets,
  writeStatusIfChanged,
} from '../../kube/index.ts';
import {
  DOCKER_CONFIG_TYPE,
  dockerConfigJson,
  mergeAuths,
  OWNER_LABEL,
  planSecrets,
  type SourceResult,
  summarize,
  targetNamespaces,
} from './desired.ts';
import { type AwsOptions, SourceReader } from './sources.ts';
import { desiredStatus, statusUnchanged } from './status.ts';

export const Pods = kind<KubeObject>('v1', 'Pod');

type Summary = ReturnType<typeof summarize> & { conditionReason: string };

export interface ImagePullSecretsOptions {
  aws?: AwsOptions;
  /** Also serve images.cisco.com/v1alpha1 (imps 0.4); its CRD must be installed. */
  ciscoGroup?: boolean;
  /** Retry period for failed sources (default 30 s). */
  retryAfterMs?: number;
  /** Parallel writes during fan-out (default 16). */
  writeConcurrency?: number;
}

const metaChanged: Predicate<KubeObject> = (e) =>
  e.type !== 'update' ||
  JSON.stringify([
    e.old?.metadata?.labels,
    e.old?.metadata?.annotations,
    e.old?.metadata?.deletionTimestamp,
  ]) !==
    JSON.stringify([
      e.object.metadata?.labels,
      e.object.metadata?.annotations,
      e.object.metadata?.deletionTimestamp,
    ]);

async function inBatches<T>(
  items: readonly T[],
  size: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

/** Registers one controller per served group on the manager. */
export function registerImagePullSecrets(
  manager: Manager,
  options: ImagePullSecretsOptions = {},
): Controller[] {
  const kinds: Kind<ImagePullSecret>[] = [BanzaiImagePullSecretKind];
  if (options.ciscoGroup) kinds.push(CiscoImagePullSecretKind);
  return kinds.map(
    (k) => new ImagePullSecretsReconciler(manager, k, new SourceReader(options.aws), options).controller,
  );
}

class ImagePullSecretsReconciler {
  readonly controller: Controller;
  private readonly manager: Manager;
  private readonly kind: Kind<ImagePullSecret>;
  private readonly reader: SourceReader;
  private readonly options: ImagePullSecretsOptions;
  private readonly imps: Informer<ImagePullSecret>;
  private readonly namespaces: Informer<KubeObject>;
  /** dockerconfigjson Secrets: the pull Secrets we write and dockerconfigjson sources. */
  private readonly pullSecrets: Informer<Secret>;
  private readonly ecrSecrets: Informer<Secret>[];
  private pods: Informer<KubeObject> | undefined;
  private readonly events: EventRecorder;

  constructor(
    manager: Manager,
    k: Kind<ImagePullSecret>,
    reader: SourceReader,
    options: ImagePullSecretsOptions,
  ) {
    this.manager = manager;
    this.kind = k;
    this.reader = reader;
    this.options = options;
    const name = k === BanzaiImagePullSecretKind ? 'imagepullsecrets' : 'imagepullsecrets-cisco';
    this.events = manager.eventRecorder(name);
    // Every scope is explicit: cluster-wide, whatever the manager's namespace.
    const all = { namespace: '' };
    this.imps = manager.informer(k, all);
    this.namespaces = manager.informer(Namespaces, all);
    this.pullSecrets = manager.informer(Secrets, { ...all, fieldSelector: `type=${DOCKER_CONFIG_TYPE}` });
    this.ecrSecrets = ECR_LOGIN_CONFIG_SECRET_TYPES.map((t) =>
      manager.informer(Secrets, { ...all, fieldSelector: `type=${t}` }),
    );
    const secretsToKeys = (s: Secret) => this.keysForSecret(s);
    let builder = manager
      .controller(name)
      .for(k, all)
      .watches(Namespaces, () => this.allKeys(), { ...all, predicates: [metaChanged] })
      .watches(Secrets, secretsToKeys, { ...all, fieldSelector: `type=${DOCKER_CONFIG_TYPE}` });
    for (const t of ECR_LOGIN_CONFIG_SECRET_TYPES) {
      builder = builder.watches(Secrets, secretsToKeys, { ...all, fieldSelector: `type=${t}` });
    }
    this.controller = builder
      .withOptions({ concurrency: 2 })
      .complete((req, ctx) => this.reconcile(req, ctx));
  }

  private allKeys(): Request[] {
    return this.imps.list().map((i) => ({ name: i.metadata?.name ?? '' }));
  }

  private keysForSecret(s: Secret): Request[] {
    const ns = s.metadata?.namespace;
    const owner = s.metadata?.labels?.[OWNER_LABEL];
    const out: Request[] = [];
    for (const i of this.imps.list()) {
      const refs = i.spec.registry.credentials.some((c) => c.namespace === ns && c.name === s.metadata?.name);
      if (refs || (owner && owner === i.metadata?.uid)) out.push({ name: i.metadata?.name ?? '' });
    }
    // A Secret of ours whose owner is gone: let the owner's key sweep it.
    if (owner && out.length === 0) {
      const ref = s.metadata?.ownerReferences?.find((r) => r.uid === owner);
      if (ref && ref.apiVersion === this.kind.apiVersion) out.push({ name: ref.name });
    }
    return out;
  }

  private async podInformer(signal: AbortSignal): Promise<Informer<KubeObject>> {
    if (!this.pods) {
      this.pods = this.manager.informer(Pods, { namespace: '' });
      const enqueueAll = () => {
        for (const i of this.imps.list()) {
          if (i.spec.target.namespacesWithPods) this.controller.enqueue({ name: i.metadata?.name ?? '' });
        }
      };
      this.pods.addHandler({
        onAdd: enqueueAll,
        onDelete: enqueueAll,
        onUpdate: (old, obj) => {
          if (metaChanged({ type: 'update', old, object: obj })) enqueueAll();
        },
      });
      this.pods.start();
    }
    await this.pods.waitForSync(signal);
    return this.pods;
  }

  private findSource(namespace: string, name: string): Secret | undefined {
    const key = `${namespace}/${name}`;
    for (const inf of [this.pullSecrets, ...this.ecrSecrets]) {
      const s = inf.get(key);
      if (s) return s;
    }
    return undefined;
  }

  async reconcile(req: Request, ctx: ReconcileContext): Promise<ReconcileResult | undefined> {
    const imps = this.imps.get(req.name);
    if (!imps || imps.metadata?.deletionTimestamp) {
      await this.sweepOrphans(ctx);
      return undefined;
    }
    const client = this.manager.client;
    const uid = imps.metadata?.uid ?? '';
    const now = Date.now();

    const pods = imps.spec.target.namespacesWithPods ? (await this.podInformer(ctx.signal)).list() : [];
    const targets = targetNamespaces(imps, this.namespaces.list(), pods);

    const results: SourceResult[] = [];
    for (const c of imps.spec.registry.credentials) {
      const key = `${c.namespace}/${c.name}`;
      let secret = this.findSource(c.namespace, c.name);
      // Not in any cache: either missing or of a type we do not read; ask once to tell which.
      if (!secret) {
        try {
          secret = await client.getIfExists(Secrets, { namespace: c.namespace, name: c.name });
        } catch (err) {
          // One unreadable source (RBAC, say) must not stop the others.
          results.push({ key, error: `cannot read the Secret: ${errorMessage(err)}` });
          continue;
        }
      }
      results.push(await this.reader.read(key, secret));
    }
    this.reader.retain(
      new Set(
        this.imps.list().flatMap((i) => i.spec.registry.credentials.map((c) => `${c.namespace}/${c.name}`)),
      ),
    );
    const available = results.filter((r) => r.auths);
    const configJson = available.length
      ? dockerConfigJson(mergeAuths(available.map((r) => r.auths!)))
      : undefined;

    const name = imps.spec.target.secret.name;
    const targetSet = new Set(targets);
    const existing = this.pullSecrets
      .list()
      .filter(
        (s) =>
          s.metadata?.labels?.[OWNER_LABEL] === uid ||
          (s.metadata?.name === name && targetSet.has(s.metadata?.namespace ?? '')),
      );
    const plan = planSecrets(imps, targets, existing, configJson);
    const conflicts = new Set(plan.conflicts);
    const failedWrites: string[] = [];
    const concurrency = this.options.writeConcurrency ?? 16;

    await inBatches(plan.create, concurrency, async (s) => {
      const ns = s.metadata?.namespace ?? '';
      try {
        await client.create(s, { signal: ctx.signal });
      } catch (err) {
        if (isAlreadyExists(err)) {
          // The cache was behind: ours (update next time round) or someone else's (leave alone).
          const current = await client.getIfExists(Secrets, { namespace: ns, name });
          if (current?.metadata?.labels?.[OWNER_LABEL] !== uid) conflicts.add(ns);
          else if (current)
            await client.update({
              ...s,
              metadata: { ...s.metadata, resourceVersion: current.metadata?.resourceVersion },
            });
        } else if (isForbidden(err) || isNotFound(err)) {
          // A namespace being deleted refuses new objects; anything else is worth reporting.
          failedWrites.push(`${ns}: ${errorMessage(err)}`);
        } else throw err;
      }
    });
    await inBatches(plan.update, concurrency, async (s) => {
      await client.update(s, { signal: ctx.signal });
    });
    await inBatches(plan.delete, concurrency, async (d) => {
      await client.delete(
        Secrets,
        { namespace: d.namespace, name: d.name },
        { preconditions: { uid: d.uid } },
      );
    });
    if (plan.create.length + plan.update.length + plan.delete.length > 0) {
      ctx.log.info(
        { created: plan.create.length, updated: plan.update.length, deleted: plan.delete.length },
        'pull secrets written',
      );
    }

    const summary: Summary = {
      ...summarize(results, [...conflicts].sort(), name, now),
      conditionReason: results.some((r) => r.error)
        ? 'SourceFailed'
        : conflicts.size
          ? 'SecretNotOwned'
          : 'Reconciled',
    };
    if (failedWrites.length) {
      summary.conditionReason = 'WriteFailed';
      summary.status = 'Failed';
      summary.reason = [summary.reason, `cannot write ${name} in ${failedWrites.join('; ')}`]
        .filter(Boolean)
        .join('; ');
    }
    const managed =
      configJson === undefined
        ? (imps.status?.managedNamespaces ?? [])
        : targets.filter((ns) => !conflicts.has(ns));
    await this.writeStatus(imps, summary, managed, ctx);

    // Come back to refresh tokens at half their validity, and to retry broken sources.
    const delays: number[] = [];
    const refresh = this.reader.nextRefresh(results.map((r) => r.key));
    if (refresh !== undefined) delays.push(Math.max(1000, refresh - Date.now()));
    if (summary.status === 'Failed') delays.push(this.options.retryAfterMs ?? 30_000);
    return delays.length ? { requeueAfter: Math.min(...delays) } : undefined;
  }

  private async writeStatus(
    imps: ImagePullSecret,
    summary: Summary,
    managedNamespaces: string[],
    ctx: ReconcileContext,
  ): Promise<void> {
    const old = imps.status;
    const next = desiredStatus(old, summary, managedNamespaces, imps.metadata?.generation, new Date());
    const wrote = await writeStatusIfChanged(this.manager.client, this.kind, imps, next, {
      unchanged: statusUnchanged,
      signal: ctx.signal,
    });
    if (wrote && next.status === 'Failed' && (old?.status !== 'Failed' || old?.reason !== next.reason)) {
      this.events.warning(imps, 'ReconcileFailed', next.reason ?? '');
    }
  }

  /** Deletes pull Secrets whose owning ImagePullSecret of our kind is gone. */
  private async sweepOrphans(ctx: ReconcileContext): Promise<void> {
    const live = new Set(
      this.imps
        .list()
        .filter((i) => !i.metadata?.deletionTimestamp)
        .map((i) => i.metadata?.uid),
    );
    for (const s of this.pullSecrets.list()) {
      const owner = s.metadata?.labels?.[OWNER_LABEL];
      if (!owner || live.has(owner)) continue;
      const ref = s.metadata?.ownerReferences?.find((r) => r.uid === owner);
      if (!ref || ref.apiVersion !== this.kind.apiVersion) continue;
      await this.manager.client.delete(
        Secrets,
        { namespace: s.metadata?.namespace ?? '', name: s.metadata?.name ?? '' },
        { preconditions: { uid: s.metadata?.uid ?? '' }, signal: ctx.signal },
      );
      ctx.log.info(
        { namespace: s.metadata?.namespace, secret: s.metadata?.name },
        'deleted orphaned pull secret',
      );
    }
  }
}
