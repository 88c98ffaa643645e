// What override templates see. The original evaluates them against Go structs
// (*unstructured.Unstructured and the Cluster CR type), so templates call Go methods (`.Object.GetName`)
// and read exported Go fields (`.Cluster.Spec.ClusterID`). These classes give our template engine the
// same surface: fields are own properties, methods live on the prototype and are called with the
// instance as receiver. Everything reachable is a frozen copy: a template cannot change what it reads.

import type { Cluster } from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/cluster.ts';
import { GoNamedString, goBytes, goStringMap, goStruct, withGoType } from '../../template/values.ts';
import { cloneJson, deepFreeze, getOwn, isMap, setOwn } from './json.ts';
import type { Unstructured } from './types.ts';

/** Labels and annotations: Go's map[string]string (so `hasKey .Object.GetLabels "app"` fails as in Go). */
function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isMap(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') setOwn(out, k, x);
  return goStringMap(out);
}

/** Go's types.UID, a named string type: prints as text, is not a string parameter. */
function uid(v: unknown): GoNamedString {
  return new GoNamedString('types.UID', str(v));
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/**
 * An unstructured object: its top-level fields are fields (`.Object.metadata.name`, `.Object.spec`),
 * `.Object.Object` is the whole map as on Go's Unstructured, and the usual getters are methods.
 */
export class TemplateObject {
  readonly #obj: Unstructured;

  constructor(obj: Unstructured) {
    const copy = deepFreeze(cloneJson(obj));
    this.#obj = copy;
    for (const k of Object.keys(copy)) {
      Object.defineProperty(this, k, { value: copy[k], enumerable: true });
    }
    if (!Object.hasOwn(copy, 'Object')) Object.defineProperty(this, 'Object', { value: copy });
    Object.freeze(this);
  }

  #meta(): Record<string, unknown> {
    const m = getOwn(this.#obj, 'metadata');
    return isMap(m) ? m : {};
  }

  GetName(): string {
    return str(this.#meta().name);
  }

  GetNamespace(): string {
    return str(this.#meta().namespace);
  }

  GetGenerateName(): string {
    return str(this.#meta().generateName);
  }

  GetUID(): GoNamedString {
    return uid(this.#meta().uid);
  }

  GetLabels(): Record<string, string> {
    return stringMap(this.#meta().labels);
  }

  GetAnnotations(): Record<string, string> {
    return stringMap(this.#meta().annotations);
  }

  GetKind(): string {
    return str(getOwn(this.#obj, 'kind'));
  }

  GetAPIVersion(): string {
    return str(getOwn(this.#obj, 'apiVersion'));
  }

  UnstructuredContent(): Record<string, unknown> {
    return this.#obj;
  }
}

/** The Go ClusterSpec: ClusterID a types.UID, each endpoint's CABundle a []byte (decoded base64). */
interface ClusterSpecView {
  ClusterID: GoNamedString;
  AuthInfo: { SecretRef: { Name: string; Namespace: string } };
  KubernetesAPIEndpoints: Array<{ ClientNetwork: string; ServerAddress: string; CABundle: Uint8Array }>;
}

/** A Cluster CR with the Go field names of the original's Cluster type (embedded ObjectMeta promoted). */
export class TemplateCluster {
  readonly Kind: string;
  readonly APIVersion: string;
  readonly Name: string;
  readonly Namespace: string;
  readonly UID: GoNamedString;
  readonly Labels: Record<string, string>;
  readonly Annotations: Record<string, string>;
  readonly Spec: ClusterSpecView;
  readonly Status: { State: GoNamedString; Message: string; Type: GoNamedString; Leader: boolean };

  constructor(cluster: Cluster) {
    const c = deepFreeze(cloneJson(cluster));
    const meta = c.metadata ?? {};
    this.Kind = str(c.kind);
    this.APIVersion = str(c.apiVersion);
    this.Name = str(meta.name);
    this.Namespace = str(meta.namespace);
    this.UID = uid(meta.uid);
    this.Labels = deepFreeze(stringMap(meta.labels));
    this.Annotations = deepFreeze(stringMap(meta.annotations));
    // Spec and Status are Go struct values of the upstream API types (field order is Go's: it
    // shows when a template prints one).
    const spec = c.spec ?? { clusterID: '' };
    this.Spec = goStruct(
      'v1alpha1.ClusterSpec',
      {
        ClusterID: uid(spec.clusterID),
        AuthInfo: goStruct(
          'v1alpha1.AuthInfo',
          {
            SecretRef: goStruct(
              'v1alpha1.NamespacedName',
              {
                Name: str(spec.authInfo?.secretRef?.name),
                Namespace: str(spec.authInfo?.secretRef?.namespace),
              },
              { Name: 'name,omitempty', Namespace: 'namespace,omitempty' },
            ),
          },
          { SecretRef: 'secretRef,omitempty' },
        ),
        KubernetesAPIEndpoints: withGoType(
          Object.freeze(
            (spec.kubernetesApiEndpoints ?? []).map((e) =>
              goStruct(
                'v1alpha1.KubernetesAPIEndpoint',
                {
                  ClientNetwork: str(e.clientNetwork),
                  ServerAddress: str(e.serverAddress),
                  CABundle: goBytes(Buffer.from(str(e.caBundle), 'base64')),
                },
                {
                  ClientNetwork: 'clientNetwork,omitempty',
                  ServerAddress: 'serverAddress,omitempty',
                  CABundle: 'caBundle,omitempty',
                },
              ),
            ),
          ),
          '[]v1alpha1.KubernetesAPIEndpoint',
        ),
      },
      {
        ClusterID: 'clusterID',
        AuthInfo: 'authInfo,omitempty',
        KubernetesAPIEndpoints: 'kubernetesApiEndpoints,omitempty',
      },
    ) as unknown as ClusterSpecView;
    this.Status = goStruct(
      'v1alpha1.ClusterStatus',
      {
        State: new GoNamedString('v1alpha1.ClusterState', str(c.status?.state)),
        Message: str(c.status?.message),
        Type: new GoNamedString('v1alpha1.ClusterType', str(c.status?.type)),
        Leader: c.status?.leader === true,
      },
      {
        State: 'state,omitempty',
        Message: 'message,omitempty',
        Type: 'type,omitempty',
        Leader: 'leader,omitempty',
      },
    ) as unknown as TemplateCluster['Status'];
    Object.freeze(this);
  }

  GetName(): string {
    return this.Name;
  }

  GetNamespace(): string {
    return this.Namespace;
  }

  GetUID(): GoNamedString {
    return this.UID;
  }

  GetLabels(): Record<string, string> {
    return goStringMap({ ...this.Labels });
  }

  GetAnnotations(): Record<string, string> {
    return goStringMap({ ...this.Annotations });
  }

  GetKind(): string {
    return this.Kind;
  }

  GetAPIVersion(): string {
    return this.APIVersion;
  }
}

export interface TemplateData {
  /** The object after every mutation but the overrides. */
  Object: TemplateObject;
  /** The Cluster CR of the cluster the object originates from. */
  Cluster: TemplateCluster;
  LocalCluster: TemplateCluster;
}

/** Renders a Go text/template; src/template's renderTemplate fits. Throws on template errors. */
export type RenderFn = (template: string, data: TemplateData) => string;
