// Kubeconfig files for the control plane's users: admin and each component
// authenticate with client certificates; ServiceAccounts with a bound token.
import { stringify } from 'yaml';

export interface KubeconfigUser {
  clientCertificate?: string;
  clientKey?: string;
  token?: string;
}

export function renderKubeconfig(
  clusterName: string,
  server: string,
  caPem: string,
  userName: string,
  user: KubeconfigUser,
): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const userEntry: Record<string, string> = {};
  if (user.clientCertificate) userEntry['client-certificate-data'] = b64(user.clientCertificate);
  if (user.clientKey) userEntry['client-key-data'] = b64(user.clientKey);
  if (user.token) userEntry.token = user.token;
  const context = `${userName}@${clusterName}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster: { server, 'certificate-authority-data': b64(caPem) } }],
    users: [{ name: userName, user: userEntry }],
    contexts: [{ name: context, context: { cluster: clusterName, user: userName } }],
    'current-context': context,
  });
}
