// Kubeconfig for the CLI and the operator: --kubeconfig / --context, else
// $KUBECONFIG or ~/.kube/config, else in-cluster (the operator's pod).
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeConfigFlags {
  kubeconfig?: string;
  context?: string;
}

export function loadKubeConfig(flags: KubeConfigFlags = {}): KubeConfig {
  const kc = new KubeConfig();
  if (flags.kubeconfig) kc.loadFromFile(flags.kubeconfig);
  else kc.loadFromDefault();
  if (flags.context) {
    if (!kc.getContexts().some((c) => c.name === flags.context)) {
      throw new Error(`context ${JSON.stringify(flags.context)} not found in the kubeconfig`);
    }
    kc.setCurrentContext(flags.context);
  }
  return kc;
}
