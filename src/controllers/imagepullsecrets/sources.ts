// Turns source Secrets into registry auths: dockerconfigjson copied through,
// AWS ECR login configs exchanged for an authorization token through the AWS
// SDK v3 (optionally assuming a role through STS). Tokens are cached per
// source and credentials and reused until less than half their validity is
// left. Error messages name the problem, never a credential. The AWS SDK
// (several MiB of modules) is loaded on the first ECR source only, so an
// operator that never sees one does not carry it.
import { createHash } from 'node:crypto';
import { ECR_LOGIN_CONFIG_SECRET_TYPES } from '../../apis/images.banzaicloud.io/v1alpha1/imagepullsecret.ts';
import type { Secret } from '../../kube/index.ts';
import {
  type Auths,
  DOCKER_CONFIG_KEY,
  DOCKER_CONFIG_TYPE,
  refreshAt,
  type SourceResult,
} from './desired.ts';

export interface AwsOptions {
  /** Endpoint override for ECR (a test double, a VPC endpoint). */
  ecrEndpoint?: string;
  /** Endpoint override for STS. */
  stsEndpoint?: string;
}

interface CachedToken {
  fingerprint: string;
  auths: Auths;
  issuedAt: number;
  expiresAt: number;
}

function decode(secret: Secret, key: string): string | undefined {
  const v = secret.data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}

function describeAwsError(err: unknown): string {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const code = e.name && e.name !== 'Error' ? `${e.name}: ` : '';
  return `${code}${e.message ?? String(err)}`.trim();
}

export class SourceReader {
  private readonly aws: AwsOptions;
  private readonly now: () => number;
  private readonly tokens = new Map<string, CachedToken>();

  constructor(aws: AwsOptions = {}, now: () => number = Date.now) {
    this.aws = aws;
    this.now = now;
  }

  /** When the earliest cached ECR token among these sources is due for a refresh. */
  nextRefresh(keys: readonly string[]): number | undefined {
    let next: number | undefined;
    for (const k of keys) {
      const t = this.tokens.get(k);
      if (t) next = Math.min(next ?? Number.POSITIVE_INFINITY, refreshAt(t.issuedAt, t.expiresAt));
    }
    return next;
  }

  /** Forget tokens of sources no longer referenced. */
  retain(keys: Set<string>): void {
    for (const k of this.tokens.keys()) if (!keys.has(k)) this.tokens.delete(k);
  }

  /**
   * Auths from one source Secret (undefined when it is missing). On failure,
   * an ECR token fetched earlier that has not expired is still returned, with
   * the error, so the last good credential stays in the pull Secrets.
   */
  async read(key: string, secret: Secret | undefined): Promise<SourceResult> {
    if (!secret) return { key, error: 'Secret not found' };
    const type = secret.type ?? 'Opaque';
    if (type === DOCKER_CONFIG_TYPE) return this.dockerConfig(key, secret);
    if ((ECR_LOGIN_CONFIG_SECRET_TYPES as readonly string[]).includes(type)) return this.ecr(key, secret);
    return {
      key,
      error: `unsupported Secret type ${type} (want ${DOCKER_CONFIG_TYPE} or ${ECR_LOGIN_CONFIG_SECRET_TYPES[0]})`,
    };
  }

  private dockerConfig(key: string, secret: Secret): SourceResult {
    const text = decode(secret, DOCKER_CONFIG_KEY);
    if (text === undefined) return { key, error: `no ${DOCKER_CONFIG_KEY} key` };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { key, error: `${DOCKER_CONFIG_KEY} is not valid JSON` };
    }
    const auths = (parsed as { auths?: unknown })?.auths;
    if (!auths || typeof auths !== 'object' || Array.isArray(auths)) {
      return { key, error: `${DOCKER_CONFIG_KEY} has no "auths" object` };
    }
    return { key, auths: auths as Auths };
  }

  private async ecr(key: string, secret: Secret): Promise<SourceResult> {
    const cfg = {
      accountID: decode(secret, 'accountID')?.trim(),
      region: decode(secret, 'region')?.trim(),
      accessKeyID: decode(secret, 'accessKeyID')?.trim(),
      secretKey: decode(secret, 'secretKey')?.trim(),
      roleArn: decode(secret, 'roleArn')?.trim() || undefined,
    };
    const missing = (['accountID', 'region', 'accessKeyID', 'secretKey'] as const).filter((k) => !cfg[k]);
    if (missing.length) return { key, error: `missing key(s) ${missing.join(', ')}` };
    // The cache is keyed by a hash of the credentials, so a changed Secret
    // fetches a new token at once.
    const fingerprint = createHash('sha256').update(JSON.stringify(cfg)).digest('hex');
    const cached = this.tokens.get(key);
    const now = this.now();
    if (cached && cached.fingerprint === fingerprint && now < refreshAt(cached.issuedAt, cached.expiresAt)) {
      return { key, auths: cached.auths, expiresAt: cached.expiresAt };
    }
    try {
      const token = await this.fetchToken(
        cfg as {
          accountID: string;
          region: string;
          accessKeyID: string;
          secretKey: string;
          roleArn?: string;
        },
      );
      const registry = `${cfg.accountID}.dkr.ecr.${cfg.region}.amazonaws.com`;
      const [username = '', password = ''] = Buffer.from(token.authorizationToken, 'base64')
        .toString('utf8')
        .split(/:(.*)/s);
      const auths: Auths = { [registry]: { username, password, auth: token.authorizationToken } };
      this.tokens.set(key, { fingerprint, auths, issuedAt: now, expiresAt: token.expiresAt });
      return { key, auths, expiresAt: token.expiresAt };
    } catch (err) {
      const error = `ECR GetAuthorizationToken failed: ${describeAwsError(err)}`;
      if (cached && now < cached.expiresAt)
        return { key, auths: cached.auths, expiresAt: cached.expiresAt, error };
      return { key, error };
    }
  }

  private async fetchToken(cfg: {
    accountID: string;
    region: string;
    accessKeyID: string;
    secretKey: string;
    roleArn?: string;
  }): Promise<{ authorizationToken: string; expiresAt: number }> {
    let credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = {
      accessKeyId: cfg.accessKeyID,
      secretAccessKey: cfg.secretKey,
    };
    if (cfg.roleArn) {
      const { AssumeRoleCommand, STSClient } = await import('@aws-sdk/client-sts');
      const sts = new STSClient({
        region: cfg.region,
        credentials,
        endpoint: this.aws.stsEndpoint,
        maxAttempts: 2,
      });
      try {
        const out = await sts.send(
          new AssumeRoleCommand({ RoleArn: cfg.roleArn, RoleSessionName: 'sdm-imagepullsecrets' }),
        );
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
        credentials = {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
        };
      } finally {
        sts.destroy();
      }
    }
    const { ECRClient, GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
    const ecr = new ECRClient({
      region: cfg.region,
      credentials,
      endpoint: this.aws.ecrEndpoint,
      maxAttempts: 2,
    });
    try {
      const out = await ecr.send(new GetAuthorizationTokenCommand({ registryIds: [cfg.accountID] }));
      const data = out.authorizationData?.[0];
      if (!data?.authorizationToken) throw new Error('response holds no authorization token');
      const expiresAt = data.expiresAt ? data.expiresAt.getTime() : this.now() + 12 * 3600_000;
      return { authorizationToken: data.authorizationToken, expiresAt };
    } finally {
      ecr.destroy();
    }
  }
}
