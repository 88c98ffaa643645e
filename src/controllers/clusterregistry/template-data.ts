// What override templates see. The original evaluates them against Go structs
// (*unstructured.Unstructured and the Cluster CR type), so templates call Go methods (`.Object.GetName`)
// and read exported Go fields (`.Cluster.Spec.ClusterID`). These classes give our template engine the
// same surface: fields are own properties, methods live on the prototype and are called with the
// instance as receiver. Everything reachable is a frozen copy: a template cannot change what it reads.
import { cloneJson, deepFreeze, getOwn, isMap, setOwn } from './json.ts';
import type { Cluster, KubeObject } from './types.ts';

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isMap(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') setOwn(out, k, x);
  return out;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/**
 * An unstructured object: its top-level fields are fields (`.Object.metadata.name`, `.Object.spec`),
 * `.Object.Object` is the whole map as on Go's Unstructured, and the usual getters are methods.
 */
export class TemplateObject {
  readonly #obj: KubeObject;

  constructor(obj: KubeObject) {
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

  GetUID(): string {
    return str(this.#meta().uid);
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

interface ClusterSpecView {
  ClusterID: string;
  AuthInfo: { SecretRef: { Name: string; Namespace: string } };
  KubernetesAPIEndpoints: Array<{ ServerAddress: string; CABundle: string; ClientNetwork: string }>;
}

/** A Cluster CR with the Go field names of the original's Cluster type (embedded ObjectMeta promoted). */
export class TemplateCluster {
  readonly Kind: string;
  readonly APIVersion: string;
  readonly Name: string;
  readonly Namespace: string;
  readonly UID: string;
  readonly Labels: Record<string, string>;
  readonly Annotations: Record<string, string>;
  readonly Spec: ClusterSpecView;
  readonly Status: { State: string; Type: string; Message: string };

  constructor(cluster: Cluster) {
    const c = deepFreeze(cloneJson(cluster));
    const meta = c.metadata ?? {};
    this.Kind = str(c.kind);
    this.APIVersion = str(c.apiVersion);
    this.Name = str(meta.name);
    this.Namespace = str(meta.namespace);
    this.UID = str(meta.uid);
    this.Labels = deepFreeze(stringMap(meta.labels));
    this.Annotations = deepFreeze(stringMap(meta.annotations));
    const spec = c.spec ?? { clusterID: '' };
    this.Spec = deepFreeze({
      ClusterID: str(spec.clusterID),
      AuthInfo: {
        SecretRef: {
          Name: str(spec.authInfo?.secretRef?.name),
          Namespace: str(spec.authInfo?.secretRef?.namespace),
        },
      },
      KubernetesAPIEndpoints: (spec.kubernetesApiEndpoints ?? []).map((e) => ({
        ServerAddress: str(e.serverAddress),
        CABundle: str(e.caBundle),
        ClientNetwork: str(e.clientNetwork),
      })),
    });
    this.Status = deepFreeze({
      State: str(c.status?.state),
      Type: str(c.status?.type),
      Message: str(c.status?.message),
    });
    Object.freeze(this);
  }

  GetName(): string {
    return this.Name;
  }

  GetNamespace(): string {
    return this.Namespace;
  }

  GetUID(): string {
    return this.UID;
  }

  GetLabels(): Record<string, string> {
    return { ...this.Labels };
  }

  GetAnnotations(): Record<string, string> {
    return { ...this.Annotations };
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
