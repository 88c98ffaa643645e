// sdm as the image runs it: bundled by tools/bundle.ts (what `make bundle`
// runs), then started from the bundle, not from src/. The build itself fails
// when the operator's start-up files hold a package only some controllers
// use (the AWS SDK, @platformatic/kafka, @peculiar/x509). The bundled
// operator runs the CSR signer under its chart's ServiceAccount on a real
// control plane: it answers /readyz, creates its CA and signs an approved
// request, which needs @peculiar/x509, required from node_modules on first
// use; the CLI bundle lists its commands and the operator its controllers;
// the valuesOverride parser's worker runs from its own bundled file.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { webcrypto, X509Certificate } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import {
  CA_CERT_KEY,
  CA_SECRET_NAME,
  type CertificateSigningRequest,
  CertificateSigningRequests,
} from '../../../src/controllers/csrsigner/index.ts';
import { loadX509 } from '../../../src/controllers/csrsigner/x509.ts';
import { type ControlPlane, startControlPlane } from '../../../src/devcluster/index.ts';
import { Client, Secrets } from '../../../src/kube/index.ts';
import { eventually } from '../../support/eventually.ts';
import { applyChartRbac, renderChart } from '../imagepullsecrets/support.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const node = process.execPath;
const NS = 'csr-operator-system';
const SIGNER = 'csr.banzaicloud.io/privateca';

/** A directory of its own under dist/ (node_modules and sdm's package.json are found above it). */
function bundleDir(): string {
  mkdirSync(join(root, 'dist'), { recursive: true });
  return mkdtempSync(join(root, 'dist', '.test-bundle-'));
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** `node <file> ...args` run to the end; stdout, asserting exit code 0. */
function run(file: string, args: string[]): string {
  const r = spawnSync(node, [file, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `${file} ${args.join(' ')} exited with ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('the bundled sdm (tools/bundle.ts)', () => {
  const out = bundleDir();
  let buildOutput = '';

  before(() => {
    buildOutput = run(join(root, 'tools', 'bundle.ts'), ['--outdir', out]);
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('builds, and the operator starts without packages only some controllers use', () => {
    for (const f of ['operator-main.js', 'main.js', 'override-worker.js', 'sdm.js', 'package.json'])
      assert.ok(existsSync(join(out, f)), `${f} missing from ${readdirSync(out).join(' ')}`);
    const startup = /sdm operator loads (\d+) files .* packages: (.*)$/m.exec(buildOutput);
    assert.ok(startup, buildOutput);
    const packages = startup[2]!.split(', ');
    assert.ok(packages.includes('pino'), `start-up packages not read: ${startup[2]}`);
    for (const lazy of ['@aws-sdk/client-ecr', '@platformatic/kafka', '@peculiar/x509', 'reflect-metadata'])
      assert.ok(!packages.includes(lazy), `${lazy} is loaded at start-up: ${startup[2]}`);
    // What the start-up files import: nothing of src/ is left unbundled.
    assert.doesNotMatch(readFileSync(join(out, 'operator-main.js'), 'utf8'), /\.ts['"]/);
  });

  it('sdm --help lists every command, sdm operator --list every controller', () => {
    const help = run(join(out, 'sdm.js'), ['--help']);
    for (const cmd of ['dev-cluster', 'operator', 'install', 'diff', 'kafka', 'app'])
      assert.match(help, new RegExp(`^  ${cmd}\\b`, 'm'), help);
    assert.equal(run(join(out, 'main.js'), ['--help']), help);
    const list = run(join(out, 'sdm.js'), ['operator', '--list']);
    for (const c of ['clusterregistry', 'csrsigner', 'imagepullsecrets', 'applicationmanifest'])
      assert.match(list, new RegExp(`^${c}: `, 'm'), list);
  });

  it('runs the valuesOverride parser worker from its own file beside the chunk that starts it', async () => {
    // The chunk holding override/parse.ts names its worker relative to itself.
    const chunk = readdirSync(out)
      .filter((f) => f.endsWith('.js'))
      .find((f) => readFileSync(join(out, f), 'utf8').includes('valuesOverride parser exited with'));
    assert.ok(chunk, 'no bundled file holds override/parse.ts');
    assert.match(
      readFileSync(join(out, chunk), 'utf8'),
      /new URL\("\.\/override-worker\.js", import\.meta\.url\)/,
    );
    const text = `replicas: 3\n${Array.from({ length: 2000 }, (_, i) => `k${i}: v${i}`).join('\n')}\n`;
    const result = await new Promise<{ ok: boolean; values?: Record<string, unknown> }>((resolve, reject) => {
      const w = new Worker(join(out, 'override-worker.js'), { workerData: { text, path: 'spec.x' } });
      w.once('message', resolve);
      w.once('error', reject);
    });
    assert.equal(result.ok, true, JSON.stringify(result).slice(0, 300));
    assert.equal(result.values?.replicas, 3);
    assert.equal(result.values?.k1999, 'v1999');
  });

  describe('the bundled operator running the CSR signer under its ServiceAccount', () => {
    let cp: ControlPlane;
    let admin: Client;
    let operator: ChildProcess | undefined;
    let port = 0;
    const logFile = join(out, 'operator.log');

    before(async () => {
      cp = await startControlPlane();
      admin = Client.fromKubeConfig(cp.kubeConfig());
      const objects = renderChart('csr-operator', 'csr', NS);
      const sa = await applyChartRbac(admin, objects, NS);
      const kubeconfig = join(out, 'csr-operator.kubeconfig');
      writeFileSync(kubeconfig, (await cp.serviceAccountKubeConfig(NS, sa)).exportConfig(), { mode: 0o600 });
      // The Deployment's own command line, with a free health port.
      const deploy = objects.find((o) => o.kind === 'Deployment') as unknown as {
        spec: { template: { spec: { containers: { args: string[] }[] } } };
      };
      port = await freePort();
      const args = deploy.spec.template.spec.containers[0]!.args.map((a) =>
        a.startsWith('--health-port=') ? `--health-port=${port}` : a,
      );
      assert.equal(args[0], 'operator');
      const log = openSync(logFile, 'w');
      operator = spawn(node, [join(out, 'sdm.js'), ...args, `--kubeconfig=${kubeconfig}`], {
        cwd: out,
        stdio: ['ignore', log, log],
        env: { ...process.env, POD_NAMESPACE: NS, POD_NAME: 'csr-operator-bundle-test', LOG_LEVEL: 'info' },
      });
    });
    after(async () => {
      if (operator && operator.exitCode === null) {
        const exited = new Promise((r) => operator!.once('exit', r));
        operator.kill('SIGTERM');
        await exited;
      }
      await cp?.stop();
    });

    const logTail = () => readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');

    it('answers /readyz', async () => {
      await eventually(
        async () => {
          assert.equal(operator?.exitCode, null, `the bundled operator exited:\n${logTail()}`);
          const r = await fetch(`http://127.0.0.1:${port}/readyz`);
          assert.equal(r.status, 200, await r.text());
        },
        { timeoutMs: 90_000 },
      );
    });

    it('creates its CA and signs an approved request with it', async () => {
      const secret = await eventually(() => admin.get(Secrets, { namespace: NS, name: CA_SECRET_NAME }), {
        timeoutMs: 90_000,
      });
      const ca = new X509Certificate(Buffer.from(secret.data?.[CA_CERT_KEY] ?? '', 'base64'));
      assert.ok(ca.ca);

      const x509 = loadX509();
      const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
      const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
      const pem = (
        await x509.Pkcs10CertificateRequestGenerator.create({
          name: 'CN=bundled',
          keys,
          signingAlgorithm: alg,
        })
      ).toString('pem');
      await admin.create({
        apiVersion: 'certificates.k8s.io/v1',
        kind: 'CertificateSigningRequest',
        metadata: { name: 'bundled' },
        spec: {
          request: Buffer.from(pem).toString('base64'),
          signerName: SIGNER,
          usages: ['digital signature', 'key encipherment', 'server auth'],
        },
      } as CertificateSigningRequest);
      await admin.modify(
        CertificateSigningRequests,
        { name: 'bundled' },
        (csr) => ({
          ...csr,
          status: {
            ...csr.status,
            conditions: [{ type: 'Approved', status: 'True', reason: 'Test', message: 'approved by test' }],
          },
        }),
        { subresource: 'approval' },
      );
      const issued = await eventually(
        async () => {
          const csr = await admin.get(CertificateSigningRequests, { name: 'bundled' });
          assert.ok(csr.status?.certificate, `no certificate yet:\n${logTail()}`);
          return Buffer.from(csr.status.certificate, 'base64').toString('utf8');
        },
        { timeoutMs: 60_000 },
      );
      const leaf = new X509Certificate(
        issued.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)![0],
      );
      assert.equal(leaf.subject, 'CN=bundled');
      assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey), 'the leaf is not signed by the CA Secret');
    });
  });
});
