// sdm's controller runtime. The flow, file by file:
//   informer.ts (list+watch -> cache) --events--> builder.ts (map to keys)
//   --> workqueue.ts (dedup, backoff) --> controller.ts (workers call your
//   Reconciler) --> client.ts / apply.ts (server-side apply, status) -->
//   events.ts, metrics.ts, conditions.ts + status.ts (status written only if
//   changed); manager.ts runs it all (runnable.ts), with leader-election.ts
//   and health-server.ts. json.ts: the one JSON equality / canonical JSON.
export { applyIfChanged, needsApply } from './apply.ts';
export { JitterBackoff, jitter, KeyBackoff, sleep } from './backoff.ts';
export {
  ControllerBuilder,
  type ControllerHost,
  generationChanged,
  type InformerScope,
  labelsChanged,
  type Predicate,
  type WatchSpec,
} from './builder.ts';
export {
  type ApplyOptions,
  Client,
  type ClientOptions,
  type DeleteOptions,
  defaultFieldManager,
  type ListOptions,
  type PatchType,
  retryOnConflict,
  type WriteOptions,
} from './client.ts';
export type { AccessCluster, AccessOptions, ClusterAccess } from './cluster-access.ts';
export * as conditions from './conditions.ts';
export {
  Controller,
  type ControllerOptions,
  type ControllerSettings,
  type ReconcileContext,
  type ReconcileFunc,
  type ReconcileResult,
  type Reconciler,
} from './controller.ts';
export {
  type ControllerEntry,
  defineController,
  type OperatorContext,
  type OptionAnnotations,
} from './controller-entry.ts';
export { describeOptions, parseSetFlags, registerController, resolveOptions } from './controller-options.ts';
export {
  ApiError,
  errorMessage,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  isTerminal,
  NoKindMatchError,
  NotLeaderError,
  type Status,
  TerminalError,
} from './errors.ts';
export { clientEventSink, EventRecorder, type EventSink, type EventType, eventKey } from './events.ts';
export { ensureFinalizer, hasFinalizer, isBeingDeleted, removeFinalizer } from './finalizers.ts';
export { HealthServer } from './health-server.ts';
export { type EventHandler, Informer, type InformerOptions } from './informer.ts';
export { canonicalJson, jsonEqual } from './json.ts';
export {
  type Entry as KubeconfigEntry,
  inClusterAccess,
  type Kubeconfig,
  KubeconfigAccess,
  type KubeconfigCluster,
  type KubeconfigContext,
  KubeconfigError,
  type KubeconfigUser,
  type LoadOptions as KubeconfigLoadOptions,
  loadClusterAccess,
  mergeKubeconfigs,
  parseKubeconfig,
  type SelectedContext,
  selectContext,
} from './kubeconfig.ts';
export { type LeaderElectionOptions, LeaderElector, microTime } from './leader-election.ts';
export { createLogger, type Logger, silentLogger } from './logger.ts';
export { LeaderElectionLostError, Manager, type ManagerOptions } from './manager.ts';
export { RuntimeMetrics } from './metrics.ts';
export { fieldKeys, type KeyCodec, requestKeys } from './queue-key.ts';
export { type ResourceMapping, RestMapper, resourcePath } from './rest-mapper.ts';
export { closeOnStop, type Runnable, type RunnableContext, runnable, untilAborted } from './runnable.ts';
export { type StatusWriteOptions, statusChanged, writeStatusIfChanged } from './status.ts';
export { byControllerUid, byNamespace, type IndexFunc, Store } from './store.ts';
export { Transport } from './transport.ts';
export * from './types.ts';
export { type WatchEvent, watchOnce } from './watch.ts';
export { WorkQueue } from './workqueue.ts';
