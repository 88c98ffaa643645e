// What the runtime needs from a kubeconfig: where the API server is and how to
// authenticate to it. A structural type, so both our own loader
// (kubeconfig.ts) and @kubernetes/client-node's KubeConfig (tests, the CLI's
// exec/OIDC users) fit, and the runtime never has to import client-node,
// whose KubeConfig pulls in every generated API model (bench/memory/modules.ts).

/** The cluster entry of the current context. */
export interface AccessCluster {
  readonly server: string;
  readonly skipTLSVerify?: boolean;
  readonly tlsServerName?: string;
  readonly proxyUrl?: string;
}

/** TLS material and headers for one request, as node:https names them. */
export interface AccessOptions {
  headers?: Record<string, unknown>;
  ca?: string | Buffer | (string | Buffer)[];
  cert?: string | Buffer | (string | Buffer)[];
  key?: string | Buffer | (string | Buffer)[];
  rejectUnauthorized?: boolean;
  servername?: string;
  auth?: string | null;
}

export interface ClusterAccess {
  getCurrentCluster(): AccessCluster | null;
  /** Fills opts for the next request; re-run per request, since tokens rotate (files, exec plugins). */
  applyToHTTPSOptions(opts: AccessOptions): Promise<void>;
}
