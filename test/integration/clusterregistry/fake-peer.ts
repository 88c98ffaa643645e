// A local HTTPS listener that plays a peer API server just enough to be probed, and records every
// request it receives (so a test can prove what the controller sent, or that it sent nothing).
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';
import { createCertificateAuthority, issueCertificate } from '../../../src/devcluster/pki.ts';

export interface RecordedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
}

export interface FakePeer {
  url: string;
  /** Base64 PEM of the CA that signed the listener's certificate. */
  caData: string;
  received: RecordedRequest[];
  /** A kubeconfig for the listener with the given user entry. */
  kubeconfig(user: Record<string, unknown>): string;
  close(): Promise<void>;
}

/**
 * `hang`: answer /version, and never answer anything else (a peer that accepts connections and then
 * stalls). Otherwise every path but /version gets 404.
 */
export async function startFakePeer(options: { hang?: boolean } = {}): Promise<FakePeer> {
  const ca = await createCertificateAuthority('fake-peer-ca');
  const leaf = await issueCertificate(ca, {
    commonName: 'fake-peer',
    usage: 'server',
    ipAddresses: ['127.0.0.1'],
    dnsNames: ['localhost'],
  });
  const received: RecordedRequest[] = [];
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer({ cert: leaf.cert, key: leaf.key }, (req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    if (req.url?.startsWith('/version')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ gitVersion: 'v1.36.3-fake' }));
      return;
    }
    if (options.hang) {
      hanging.add(res);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound' }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const caData = Buffer.from(ca.cert).toString('base64');
  return {
    url,
    caData,
    received,
    kubeconfig: (user) =>
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'peer', cluster: { server: url, 'certificate-authority-data': caData } }],
        users: [{ name: 'peer', user }],
        contexts: [{ name: 'peer', context: { cluster: 'peer', user: 'peer' } }],
        'current-context': 'peer',
      }),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
