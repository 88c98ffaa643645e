// Flux's convention for bounding what one manifest may install: when the
// ApplicationManifest names spec.serviceAccountName, every request of its
// components' steps (reads, applies, deletes, hooks) is made as
// system:serviceaccount:<manifest namespace>:<name> (Kubernetes
// impersonation), so that ServiceAccount's RBAC — not the installer's broad
// rights — decides what the manifest can touch. The inventory and the status
// stay the installer's own bookkeeping, written with its own identity.
import type { AccessOptions, ClusterAccess } from '../kube/cluster-access.ts';
import { Client } from '../kube/index.ts';

/** The Kubernetes user name of a ServiceAccount. Pure. */
export function serviceAccountUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** Access like kc's, acting as user (Impersonate-User on every request). */
export function impersonatingKubeConfig(kc: ClusterAccess, user: string): ClusterAccess {
  return {
    getCurrentCluster: () => kc.getCurrentCluster(),
    async applyToHTTPSOptions(opts: AccessOptions): Promise<void> {
      await kc.applyToHTTPSOptions(opts);
      opts.headers = { ...opts.headers, 'Impersonate-User': user };
    },
  };
}

/** Clients acting as a manifest's ServiceAccount, one per user (their connections and discovery are reused). */
export class ImpersonatingClients {
  private readonly base: Client;
  private readonly byUser = new Map<string, Client>();

  constructor(base: Client) {
    this.base = base;
  }

  /** The client the manifest's components use: base, or one acting as its spec.serviceAccountName. */
  forManifest(manifest: {
    metadata?: { namespace?: string };
    spec?: { serviceAccountName?: string };
  }): Client {
    const name = manifest.spec?.serviceAccountName;
    if (!name) return this.base;
    const user = serviceAccountUser(manifest.metadata?.namespace ?? 'default', name);
    let client = this.byUser.get(user);
    if (!client) {
      client = Client.fromKubeConfig(impersonatingKubeConfig(this.base.transport.kubeConfig, user), {
        fieldManager: this.base.fieldManager,
        metrics: this.base.metrics,
        // The leader's fence: a process that lost its lease writes nothing, as whoever it acts as.
        writeGate: this.base.transport.writeGate,
      });
      this.byUser.set(user, client);
    }
    return client;
  }

  async close(): Promise<void> {
    for (const c of this.byUser.values()) await c.transport.close();
  }
}
