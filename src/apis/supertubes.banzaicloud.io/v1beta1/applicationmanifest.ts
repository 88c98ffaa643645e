// ApplicationManifest: the one resource that describes the whole platform
// (README: "The installer"). Every manifest shown in seeds 000, 001 and 003 must be
// accepted as written, hence the two spellings `clusterRegistry` /
// `clusterregistry` and zookeeperOperator's `valuesoverride`; normalise()
// folds them into one shape before anything else reads the spec.
import { type Static, type TProperties, Type } from '@sinclair/typebox';
import { AGE_COLUMN, defineKind, type ResourceOf, resourceSchema } from '../../kind.ts';
import {
  Conditions,
  closed,
  NamespaceName,
  ObservedGeneration,
  QUALIFIED_NAME,
  StringEnum,
} from '../../schema.ts';

/**
 * The largest valuesOverride admitted, in characters: far above any real
 * chart's values (seed 000's biggest is under 2 KiB), far below what stalls a
 * reconcile (issue 13: a 1.4 MiB override blocked the event loop 8.6 s).
 */
export const VALUES_OVERRIDE_MAX = 256 * 1024;

const componentFields = {
  enabled: Type.Optional(Type.Boolean({ description: 'Install the component (false when left out).' })),
  namespace: Type.Optional(NamespaceName({ description: 'Namespace the component is installed into.' })),
  valuesOverride: Type.Optional(
    Type.String({
      maxLength: VALUES_OVERRIDE_MAX,
      description:
        "A YAML document merged over the component's chart values (at most 256 KiB). Invalid YAML fails this component only.",
    }),
  ),
  kubeVersion: Type.Optional(
    Type.String({
      pattern: '^v?[0-9]+\\.[0-9]+(\\.[0-9]+)?([-+][0-9A-Za-z.+-]*)?$',
      description:
        "Kubernetes version the chart is rendered for (.Capabilities.KubeVersion, helm's --kube-version), instead of the cluster's. Lets a chart whose kubeVersion excludes the cluster install anyway, at your own risk (Argo CD's helm source field of the same name).",
    }),
  ),
  apiVersions: Type.Optional(
    Type.Array(Type.String({ minLength: 1 }), {
      description:
        "API versions the chart sees (.Capabilities.APIVersions, helm's --api-versions: group/version and group/version/Kind), instead of the cluster's discovery (Argo CD's helm source field of the same name).",
    }),
  ),
} satisfies TProperties;

const component = (description: string) => closed(componentFields, { description });

export const ComponentSchema = component('A platform component installed from a Helm chart.');

export const IstioOperatorSchema = closed(
  {
    ...componentFields,
    createDefaultMesh: Type.Optional(
      Type.Boolean({
        description:
          'Create an IstioControlPlane (with the private CA wired in) instead of waiting for one to be created by the user.',
      }),
    ),
    trustedCaCertificates: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'PEM CA certificates of another mesh (e.g. an upstream Istio) that the default mesh trusts too (multi-root trust).',
      }),
    ),
  },
  { description: "Cisco's istio-operator." },
);

export const ZookeeperOperatorSchema = closed(
  {
    ...componentFields,
    valuesoverride: Type.Optional(
      Type.String({
        maxLength: VALUES_OVERRIDE_MAX,
        description: 'Old spelling of valuesOverride, still accepted; valuesOverride wins.',
      }),
    ),
    createDefaultCluster: Type.Optional(
      Type.Boolean({ description: 'Create a ZookeeperCluster for Kafka to use.' }),
    ),
  },
  { description: 'The pravega zookeeper-operator.' },
);

export const GrafanaDashboardsSchema = closed(
  {
    enabled: Type.Optional(Type.Boolean()),
    label: Type.Optional(
      Type.String({
        pattern: QUALIFIED_NAME,
        description:
          "Label key put on the dashboard ConfigMaps for Grafana's sidecar to pick them up (default app.kubernetes.io/supertubes_managed_grafana_dashboard).",
      }),
    ),
  },
  { description: 'ConfigMaps holding the Kafka and ZooKeeper Grafana dashboards.' },
);

export const MonitoringSchema = closed(
  {
    prometheusOperator: Type.Optional(component('kube-prometheus-stack.')),
    grafanaDashboards: Type.Optional(GrafanaDashboardsSchema),
  },
  { description: 'Prometheus, Alertmanager and Grafana, and our dashboards.' },
);

export const ApplicationManifestSpecSchema = closed(
  {
    imagePullSecretsOperator: Type.Optional(component('The image pull secrets controller.')),
    csrOperator: Type.Optional(component('The CSR signer and private CA.')),
    istioOperator: Type.Optional(IstioOperatorSchema),
    zookeeperOperator: Type.Optional(ZookeeperOperatorSchema),
    kafkaOperator: Type.Optional(component('koperator.')),
    monitoring: Type.Optional(MonitoringSchema),
    supertubes: Type.Optional(component("The platform's controllers for streaming workloads.")),
    kafkaMinion: Type.Optional(component('The consumer-lag exporter (kminion) and its ServiceMonitor.')),
    clusterRegistry: Type.Optional(component('The cluster registry controller.')),
    clusterregistry: Type.Optional(
      component('Old spelling of clusterRegistry, still accepted; clusterRegistry wins field by field.'),
    ),
    serviceAccountName: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 253,
        pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$',
        description:
          "A ServiceAccount in this manifest's namespace the installer impersonates for every object of every component (Flux's spec.serviceAccountName): its RBAC bounds what this manifest can install. Left out, the installer acts with its own rights.",
      }),
    ),
  },
  { description: 'One block per component of the platform.' },
);

export const ComponentState = StringEnum(['Available', 'Reconciling', 'Failed', 'Removed', 'Removing']);

export const ComponentStatusSchema = closed({
  status: Type.Optional(ComponentState),
  message: Type.Optional(Type.String({ description: 'Why the component is in this state.' })),
  // The mesh and the ZooKeeper cluster belong to other operators: their
  // states are mirrored as they are (Istio's are Created, ReconcileFailed,
  // Reconciling, Available, Unmanaged), so they are not an enum here.
  meshStatus: Type.Optional(Type.String({ description: 'State of the IstioControlPlane (istioOperator).' })),
  meshStatusMessage: Type.Optional(Type.String()),
  clusterStatus: Type.Optional(
    Type.String({ description: 'State of the ZookeeperCluster(s) (zookeeperOperator).' }),
  ),
  clusterStatusMessage: Type.Optional(Type.String()),
});

export const ManifestState = StringEnum(['Reconciling', 'Succeeded', 'Failed']);

export const ApplicationManifestStatusSchema = closed({
  status: Type.Optional(ManifestState),
  message: Type.Optional(Type.String({ description: 'What the platform is doing or waiting for, and why.' })),
  components: Type.Optional(
    Type.Record(Type.String(), ComponentStatusSchema, { description: 'Per component, by its spec key.' }),
  ),
  observedGeneration: Type.Optional(ObservedGeneration()),
  conditions: Type.Optional(Conditions({ description: 'Ready, with the reason and a message.' })),
});

export const ApplicationManifestSchema = resourceSchema(
  ApplicationManifestSpecSchema,
  ApplicationManifestStatusSchema,
  'The components of the streaming platform and how they are configured. One per cluster.',
);

export const ApplicationManifestKind = defineKind({
  group: 'supertubes.banzaicloud.io',
  version: 'v1beta1',
  kind: 'ApplicationManifest',
  plural: 'applicationmanifests',
  scope: 'Namespaced',
  schema: ApplicationManifestSchema,
  categories: ['sdm'],
  printerColumns: [
    { name: 'Status', type: 'string', jsonPath: '.status.status', description: 'Overall state' },
    {
      name: 'Message',
      type: 'string',
      jsonPath: '.status.conditions[?(@.type=="Ready")].message',
      priority: 1,
    },
    AGE_COLUMN,
  ],
});

export const apiVersion = ApplicationManifestKind.apiVersion;
export const kind = ApplicationManifestKind.kind;
export const plural = ApplicationManifestKind.plural;

export type ApplicationManifest = ResourceOf<typeof ApplicationManifestSchema>;
export type ApplicationManifestSpec = Static<typeof ApplicationManifestSpecSchema>;
export type ApplicationManifestStatus = Static<typeof ApplicationManifestStatusSchema>;
export type ComponentSpec = Static<typeof ComponentSchema>;
export type ComponentStatus = Static<typeof ComponentStatusSchema>;
export type ComponentStateName = Static<typeof ComponentState>;
export type ManifestStateName = Static<typeof ManifestState>;

// ---- normalising the spellings ----

/** The spec with one spelling per field: no `clusterregistry`, no `valuesoverride`. */
export type NormalisedSpec = Omit<ApplicationManifestSpec, 'clusterregistry' | 'zookeeperOperator'> & {
  zookeeperOperator?: Omit<NonNullable<ApplicationManifestSpec['zookeeperOperator']>, 'valuesoverride'>;
};

export interface Normalised {
  spec: NormalisedSpec;
  /** Fields given under both spellings with different values (the camelCase one was kept). */
  warnings: string[];
}

/**
 * Folds the old spellings into the current ones. Where both are given, the
 * current spelling wins field by field and the conflict is reported, so a
 * user is told rather than silently ignored. Pure: the input is not changed.
 */
export function normalise(spec: ApplicationManifestSpec): Normalised {
  const warnings: string[] = [];
  const { clusterregistry, zookeeperOperator, ...rest } = spec;
  const out: NormalisedSpec = { ...rest };

  if (clusterregistry !== undefined) {
    const current = spec.clusterRegistry ?? {};
    for (const key of Object.keys(clusterregistry) as (keyof ComponentSpec)[]) {
      if (current[key] !== undefined && current[key] !== clusterregistry[key]) {
        warnings.push(`spec.clusterregistry.${key} ignored: spec.clusterRegistry.${key} is also set`);
      }
    }
    out.clusterRegistry = { ...clusterregistry, ...current };
  }

  if (zookeeperOperator !== undefined) {
    const { valuesoverride, ...zk } = zookeeperOperator;
    if (valuesoverride !== undefined) {
      if (zk.valuesOverride !== undefined && zk.valuesOverride !== valuesoverride) {
        warnings.push(
          'spec.zookeeperOperator.valuesoverride ignored: spec.zookeeperOperator.valuesOverride is also set',
        );
      }
      zk.valuesOverride ??= valuesoverride;
    }
    out.zookeeperOperator = zk;
  }
  return { spec: out, warnings };
}

// ---- defaults ----

export const DEFAULT_NAMESPACES = {
  imagePullSecretsOperator: 'supertubes-system',
  csrOperator: 'csr-operator-system',
  istioOperator: 'istio-system',
  zookeeperOperator: 'zookeeper',
  kafkaOperator: 'kafka',
  prometheusOperator: 'supertubes-system',
  supertubes: 'supertubes-system',
  kafkaMinion: 'kafka',
  clusterRegistry: 'cluster-registry',
} as const;

export const DEFAULT_GRAFANA_DASHBOARD_LABEL = 'app.kubernetes.io/supertubes_managed_grafana_dashboard';

type Resolved<T> = Omit<T, 'enabled' | 'namespace'> & { enabled: boolean; namespace: string };

/** A spec with every component block present, enabled and namespace filled in. */
export interface DefaultedSpec {
  imagePullSecretsOperator: Resolved<ComponentSpec>;
  csrOperator: Resolved<ComponentSpec>;
  istioOperator: Resolved<NonNullable<NormalisedSpec['istioOperator']>> & { createDefaultMesh: boolean };
  zookeeperOperator: Resolved<NonNullable<NormalisedSpec['zookeeperOperator']>> & {
    createDefaultCluster: boolean;
  };
  kafkaOperator: Resolved<ComponentSpec>;
  monitoring: {
    prometheusOperator: Resolved<ComponentSpec>;
    grafanaDashboards: { enabled: boolean; label: string };
  };
  supertubes: Resolved<ComponentSpec>;
  kafkaMinion: Resolved<ComponentSpec>;
  clusterRegistry: Resolved<ComponentSpec>;
}

function resolve<T extends ComponentSpec>(block: T | undefined, namespace: string): Resolved<T> {
  const b = (block ?? {}) as T;
  // A block left out, or given without `enabled`, is off: the Go zero value the
  // original API had, so `kafkaMinion: {}` installs nothing.
  return { ...b, enabled: b.enabled ?? false, namespace: b.namespace ?? namespace };
}

/**
 * Fills in what the user left out. Takes the normalised spec (see normalise())
 * and returns a new object; the input is not changed.
 */
export function defaults(spec: NormalisedSpec): DefaultedSpec {
  const ns = DEFAULT_NAMESPACES;
  const istio = resolve(spec.istioOperator, ns.istioOperator);
  const zk = resolve(spec.zookeeperOperator, ns.zookeeperOperator);
  const dashboards = spec.monitoring?.grafanaDashboards ?? {};
  return {
    imagePullSecretsOperator: resolve(spec.imagePullSecretsOperator, ns.imagePullSecretsOperator),
    csrOperator: resolve(spec.csrOperator, ns.csrOperator),
    istioOperator: { ...istio, createDefaultMesh: istio.createDefaultMesh ?? false },
    zookeeperOperator: { ...zk, createDefaultCluster: zk.createDefaultCluster ?? false },
    kafkaOperator: resolve(spec.kafkaOperator, ns.kafkaOperator),
    monitoring: {
      prometheusOperator: resolve(spec.monitoring?.prometheusOperator, ns.prometheusOperator),
      grafanaDashboards: {
        enabled: dashboards.enabled ?? false,
        label: dashboards.label ?? DEFAULT_GRAFANA_DASHBOARD_LABEL,
      },
    },
    supertubes: resolve(spec.supertubes, ns.supertubes),
    kafkaMinion: resolve(spec.kafkaMinion, ns.kafkaMinion),
    clusterRegistry: resolve(spec.clusterRegistry, ns.clusterRegistry),
  };
}

/** normalise() then defaults(): what the installer works from. */
export function resolveSpec(
  spec: ApplicationManifestSpec | undefined,
): Normalised & { resolved: DefaultedSpec } {
  const n = normalise(spec ?? {});
  return { ...n, resolved: defaults(n.spec) };
}
