// Shapes shared by the installer's parts: the catalog, the engine and the CLI.
import type { DefaultedSpec } from '../apis/supertubes.banzaicloud.io/v1beta1/applicationmanifest.ts';
import type { Client, KubeObject } from '../kube/index.ts';

/** Where a component's Helm chart comes from. */
export interface ChartRef {
  /** The chart's name; also the directory name a local charts dir overrides it with. */
  name: string;
  /** Pinned version; a local override must carry the same one. Absent for charts in this repo. */
  version?: string;
  /** https:// chart repository, oci:// registry, or a path (relative to the repo root) to a chart directory. */
  repository: string;
}

export type Values = Record<string, unknown>;

/** The part of a spec block the engine needs, whatever the component. */
export interface ComponentBlock {
  enabled: boolean;
  namespace: string;
  valuesOverride?: string;
  /** spec.<component>.kubeVersion / .apiVersions: what the chart is rendered for instead of the cluster's. */
  kubeVersion?: string;
  apiVersions?: string[];
  /** Where the block lives in the spec, for messages (e.g. spec.monitoring.prometheusOperator). */
  path: string;
}

export interface ComponentContext {
  spec: DefaultedSpec;
  manifest: { name: string; namespace: string };
}

/** What a component's hooks may use: the cluster and the manifest. */
export interface ComponentIO {
  client: Client;
  ctx: ComponentContext;
}

/** Status fields a component reports besides its own state (seed 000's meshStatus, clusterStatus). */
export type StatusExtras = Pick<
  ComponentResult,
  'meshStatus' | 'meshStatusMessage' | 'clusterStatus' | 'clusterStatusMessage'
>;

export interface ComponentDef {
  /** Engine name, also accepted by `sdm delete`. */
  name: string;
  /** Key in status.components (the two monitoring parts share `monitoring`, as the seeds show). */
  statusKey: string;
  /** Helm release name. */
  release: string;
  /** Absent for components made only of objects sdm generates itself. */
  chart?: ChartRef;
  /** Components that must be Available before the first install (when they are enabled). */
  dependsOn: readonly string[];
  /** Waits for an Available IstioControlPlane before its first install (when istioOperator is enabled). */
  needsMesh?: boolean;
  block(spec: DefaultedSpec): ComponentBlock;
  defaultValues: Values;
  /** Values that follow from the rest of the manifest (e.g. ServiceMonitors only with Prometheus). */
  derivedValues?(ctx: ComponentContext): Values;
  /** Namespaces the chart expects to exist besides its own. */
  extraNamespaces?(ctx: ComponentContext): string[];
  /** Objects sdm generates for the component besides the chart's (dashboards, default mesh...). */
  extraObjects?(ctx: ComponentContext): KubeObject[];
  /** Reads what the component reports besides its state, once it is installed (the mesh, the ZooKeeper clusters). */
  reportStatus?(io: ComponentIO): Promise<StatusExtras>;
}

export type ComponentState = 'Available' | 'Reconciling' | 'Failed' | 'Removing' | 'Removed';

export interface ComponentResult {
  name: string;
  status: ComponentState;
  message: string;
  meshStatus?: string;
  meshStatusMessage?: string;
  clusterStatus?: string;
  clusterStatusMessage?: string;
}

export interface ObjRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}
