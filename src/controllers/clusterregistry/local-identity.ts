// Which cluster is "here": the UID of the local kube-system namespace, read once. The Cluster whose
// spec.clusterID equals it is the local cluster; every other Cluster is a peer.
import { type Client, Namespaces } from '../../kube/index.ts';

export class LocalIdentity {
  private readonly client: Client;
  private id = '';

  constructor(client: Client) {
    this.client = client;
  }

  /** '' until ensure() has read it. */
  get value(): string {
    return this.id;
  }

  async ensure(): Promise<string> {
    if (!this.id) {
      const ns = await this.client.get(Namespaces, { name: 'kube-system' });
      this.id = ns.metadata?.uid ?? '';
      if (!this.id) throw new Error('kube-system namespace has no UID');
    }
    return this.id;
  }
}
