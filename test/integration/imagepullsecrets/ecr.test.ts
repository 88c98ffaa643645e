// The ECR flow through the real AWS SDK v3 client, pointed at a loopback test
// double that speaks the ECR JSON protocol (AWS itself is unreachable here):
// tokens become pull Secrets, are refreshed at half their validity, and bad
// credentials give Failed with the reason while the last good Secret stays.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { BanzaiImagePullSecretKind, CiscoImagePullSecretKind } from '../../../src/apis/index.ts';
import { imagePullSecretsEntry } from '../../../src/controllers/imagepullsecrets/index.ts';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { Client, Manager, registerController, type Secret, Secrets } from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';
import { applyChartRbac, capturedLogger, installCrd, renderChart } from './support.ts';

const ACCOUNT = '123456789012';
const REGION = 'us-east-2';
const REGISTRY = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
const GOOD_KEY_ID = 'AKIDGOODEXAMPLE';
const SECRET_KEY = 'wJalrXUtnFEMI-do-not-log';
const TOKEN_VALIDITY_SECONDS = 8;
// Credentials ECR refuses, but that may assume ROLE_ARN, whose session ECR accepts.
const BASE_KEY_ID = 'AKIDBASEEXAMPLE';
const ROLE_KEY_ID = 'ASIAROLEEXAMPLE';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/ecr-pull';

/** A minimal ECR endpoint: GetAuthorizationToken for one access key, errors for others. */
class EcrDouble {
  readonly server: Server;
  issued = 0;
  requests: { target: string; keyId: string }[] = [];

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    const target = String(req.headers['x-amz-target'] ?? '');
    const keyId = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    this.requests.push({ target, keyId });
    // STS speaks the AWS query protocol: form in, XML out.
    const form = new URLSearchParams(body);
    if (form.get('Action') === 'AssumeRole') {
      const ok = keyId === BASE_KEY_ID && form.get('RoleArn') === ROLE_ARN;
      res.writeHead(ok ? 200 : 403, { 'content-type': 'text/xml' });
      res.end(
        ok
          ? `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${ROLE_KEY_ID}</AccessKeyId><SecretAccessKey>role-secret</SecretAccessKey><SessionToken>role-session</SessionToken><Expiration>${new Date(Date.now() + 3600_000).toISOString()}</Expiration></Credentials><AssumedRoleUser><Arn>${ROLE_ARN}/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`
          : '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed to assume the role</Message></Error><RequestId>1</RequestId></ErrorResponse>',
      );
      return;
    }
    const assumed = keyId === ROLE_KEY_ID && req.headers['x-amz-security-token'] === 'role-session';
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(body));
    };
    if (target !== 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken') {
      send(400, { __type: 'UnknownOperationException', message: `unknown target ${target}` });
    } else if (keyId !== GOOD_KEY_ID && !assumed) {
      send(400, {
        __type: 'UnrecognizedClientException',
        message: 'The security token included in the request is invalid.',
      });
    } else {
      this.issued++;
      send(200, {
        authorizationData: [
          {
            authorizationToken: Buffer.from(`AWS:ecr-password-${this.issued}`).toString('base64'),
            expiresAt: Date.now() / 1000 + TOKEN_VALIDITY_SECONDS,
            proxyEndpoint: `https://${REGISTRY}`,
          },
        ],
      });
    }
  }
}

function pullAuth(
  s: Secret | undefined,
): { username?: string; password?: string; auth?: string } | undefined {
  if (!s?.data?.['.dockerconfigjson']) return undefined;
  const config = JSON.parse(Buffer.from(s.data['.dockerconfigjson'], 'base64').toString('utf8'));
  return config.auths?.[REGISTRY];
}

describe('ImagePullSecret with an AWS ECR login config source', () => {
  let cp: ControlPlane;
  let admin: Client;
  let manager: Manager;
  const ecr = new EcrDouble();
  const logs = capturedLogger();
  const pullSecret = () => admin.getIfExists(Secrets, { namespace: 'ecr-app', name: 'ecr-creds' });
  const status = async () => (await admin.get(BanzaiImagePullSecretKind, { name: 'ecr' })).status;

  before(async () => {
    const endpoint = await ecr.start();
    cp = await startControlPlane();
    admin = Client.fromKubeConfig(cp.kubeConfig());
    await installCrd(admin, 'imagepullsecrets.images.banzaicloud.io.yaml', BanzaiImagePullSecretKind);
    await installCrd(admin, 'imagepullsecrets.images.cisco.com.yaml', CiscoImagePullSecretKind);
    const objects = renderChart('imagepullsecrets-operator', 'imps', 'imps-system');
    const sa = await applyChartRbac(admin, objects, 'imps-system');
    manager = new Manager({
      kubeConfig: await cp.serviceAccountKubeConfig('imps-system', sa),
      logger: logs.logger,
      handleSignals: false,
    });
    await registerController(imagePullSecretsEntry, manager, {
      ecrEndpoint: endpoint,
      stsEndpoint: endpoint,
      retryAfterSeconds: '1',
      ciscoGroup: 'true',
    });
    void manager.start();
  });
  after(async () => {
    await manager?.stop();
    await cp?.stop();
    ecr.server.close();
  });

  it('turns the ECR token into a dockerconfigjson pull Secret', async () => {
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ecr-app' } });
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'ecr-login', namespace: 'imps-system' },
      type: 'banzaicloud.io/aws-ecr-login-config',
      stringData: { accountID: ACCOUNT, region: REGION, accessKeyID: GOOD_KEY_ID, secretKey: SECRET_KEY },
    } as Secret);
    await admin.create({
      apiVersion: 'images.banzaicloud.io/v1alpha1',
      kind: 'ImagePullSecret',
      metadata: { name: 'ecr' },
      spec: {
        registry: { credentials: [{ name: 'ecr-login', namespace: 'imps-system' }] },
        target: { namespaces: { names: ['ecr-app'] }, secret: { name: 'ecr-creds' } },
      },
    });
    await eventually(async () => {
      const auth = pullAuth(await pullSecret());
      assert.equal(auth?.username, 'AWS');
      assert.match(auth?.password ?? '', /^ecr-password-\d+$/);
      assert.equal(Buffer.from(auth?.auth ?? '', 'base64').toString(), `AWS:${auth?.password}`);
    });
    const s = await status();
    assert.equal(s?.status, 'Ready');
    assert.equal(s?.sourceSecretStatus?.['imps-system/ecr-login'], 'Ok');
    assert.ok((s?.validitySeconds ?? 0) > 0 && (s?.validitySeconds ?? 0) <= TOKEN_VALIDITY_SECONDS);
    assert.deepEqual(s?.managedNamespaces, ['ecr-app']);
  });

  it('refreshes the token before it expires', async () => {
    const first = pullAuth(await pullSecret())?.password;
    await eventually(
      async () => {
        const now = pullAuth(await pullSecret())?.password;
        assert.ok(now && now !== first, 'the pull Secret still holds the first token');
      },
      { timeoutMs: 60_000 },
    );
    assert.ok(ecr.requests.every((r) => r.target.endsWith('GetAuthorizationToken')));
  });

  it('reports bad AWS credentials as Failed and keeps the last good Secret', async () => {
    await admin.patch(
      Secrets,
      { namespace: 'imps-system', name: 'ecr-login' },
      { stringData: { accessKeyID: 'AKIDREVOKED' } },
    );
    await eventually(async () => {
      const s = await status();
      assert.equal(s?.status, 'Failed');
      assert.match(s?.reason ?? '', /imps-system\/ecr-login/);
      assert.match(s?.reason ?? '', /security token included in the request is invalid/);
      assert.match(s?.sourceSecretStatus?.['imps-system/ecr-login'] ?? '', /UnrecognizedClientException/);
    });
    // Long after the last good token's validity, its Secret is still there.
    await new Promise((r) => setTimeout(r, TOKEN_VALIDITY_SECONDS * 1000));
    assert.match(pullAuth(await pullSecret())?.password ?? '', /^ecr-password-\d+$/);
    assert.equal((await status())?.status, 'Failed');
  });

  it('assumes roleArn through STS before asking ECR', async () => {
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'role-app' } });
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'ecr-role-login', namespace: 'imps-system' },
      type: 'banzaicloud.io/aws-ecr-login-config',
      stringData: {
        accountID: ACCOUNT,
        region: REGION,
        accessKeyID: BASE_KEY_ID,
        secretKey: SECRET_KEY,
        roleArn: ROLE_ARN,
      },
    } as Secret);
    await admin.create({
      apiVersion: 'images.banzaicloud.io/v1alpha1',
      kind: 'ImagePullSecret',
      metadata: { name: 'ecr-role' },
      spec: {
        registry: { credentials: [{ name: 'ecr-role-login', namespace: 'imps-system' }] },
        target: { namespaces: { names: ['role-app'] }, secret: { name: 'ecr-creds' } },
      },
    });
    await eventually(async () => {
      const s = await admin.getIfExists(Secrets, { namespace: 'role-app', name: 'ecr-creds' });
      assert.match(pullAuth(s)?.password ?? '', /^ecr-password-\d+$/);
    });
    assert.ok(
      ecr.requests.some((r) => r.keyId === ROLE_KEY_ID && r.target.endsWith('GetAuthorizationToken')),
    );
    assert.equal((await admin.get(BanzaiImagePullSecretKind, { name: 'ecr-role' })).status?.status, 'Ready');
  });

  it('serves the images.cisco.com group and cisco.com/aws-ecr-login-config of imps 0.4 too', async () => {
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cisco-app' } });
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'cisco-login', namespace: 'imps-system' },
      type: 'cisco.com/aws-ecr-login-config',
      stringData: { accountID: ACCOUNT, region: REGION, accessKeyID: GOOD_KEY_ID, secretKey: SECRET_KEY },
    } as Secret);
    await admin.create({
      apiVersion: 'images.cisco.com/v1alpha1',
      kind: 'ImagePullSecret',
      metadata: { name: 'cisco' },
      spec: {
        registry: { credentials: [{ name: 'cisco-login', namespace: 'imps-system' }] },
        target: { namespaces: { names: ['cisco-app'] }, secret: { name: 'ecr-creds' } },
      },
    });
    await eventually(async () => {
      const s = await admin.getIfExists(Secrets, { namespace: 'cisco-app', name: 'ecr-creds' });
      assert.match(pullAuth(s)?.password ?? '', /^ecr-password-\d+$/);
      assert.equal((await admin.get(CiscoImagePullSecretKind, { name: 'cisco' })).status?.status, 'Ready');
    });
    await admin.delete(CiscoImagePullSecretKind, { name: 'cisco' });
    await eventually(async () =>
      assert.equal(
        await admin.getIfExists(Secrets, { namespace: 'cisco-app', name: 'ecr-creds' }),
        undefined,
      ),
    );
  });

  it('never logs the AWS secret key or a token', () => {
    const text = logs.text();
    assert.ok(!text.includes(SECRET_KEY));
    assert.ok(!/ecr-password-\d/.test(text));
  });
});
