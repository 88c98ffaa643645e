// Kubeconfig for the CLI and the operator: --kubeconfig / --context, else
// $KUBECONFIG or ~/.kube/config, else in-cluster (the operator's pod). Our own
// loader (src/kube/kubeconfig.ts), not client-node's: that one would load every
// generated API model into the operator.
import { type KubeconfigAccess, loadClusterAccess } from '../kube/index.ts';

export interface KubeConfigFlags {
  kubeconfig?: string;
  context?: string;
}

export function loadKubeConfig(flags: KubeConfigFlags = {}): KubeconfigAccess {
  return loadClusterAccess(flags);
}
