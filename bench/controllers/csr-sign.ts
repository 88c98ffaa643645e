// CSR signing rate of the signer's certificate path (decideForCsr: validation
// of the PKCS#10 request, then issuing from the CA) against node crypto's own
// signature rate for the same CA key type: the floor no signer can beat.
// Runs without a cluster: the API round trips are the runtime's, measured in
// bench/kube.
import { createPrivateKey, sign } from 'node:crypto';
import { generateCa } from '../../src/controllers/csrsigner/ca.ts';
import type { KubeCsr } from '../../src/controllers/csrsigner/request.ts';
import { decideForCsr } from '../../src/controllers/csrsigner/sign.ts';
import { loadX509, subtle } from '../../src/controllers/csrsigner/x509.ts';

// @peculiar/x509 (loaded on first use: src/pki/x509.ts).
const x509 = loadX509();

const N = Number(process.env.BENCH_CSRS ?? 500);
const CONCURRENCY = 4;

for (const algorithm of ['ECDSA-P256', 'RSA-2048'] as const) {
  const ca = await generateCa(new Date(), { algorithm });
  const keys = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const req = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'CN=bench',
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions: [
      new x509.SubjectAlternativeNameExtension([{ type: 'url', value: 'spiffe://cluster.local/ns/a/sa/b' }]),
    ],
  });
  const csr: KubeCsr = {
    metadata: { name: 'bench' },
    spec: {
      request: Buffer.from(req.toString('pem')).toString('base64'),
      signerName: 'csr.banzaicloud.io/privateca',
      usages: ['digital signature', 'key encipherment', 'server auth', 'client auth'],
      expirationSeconds: 86400,
    },
    status: { conditions: [{ type: 'Approved', status: 'True' }] },
  };

  // As the controller runs it: 4 reconciles at once, so WebCrypto's thread pool overlaps.
  let next = 0;
  let t = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < N) {
        const d = await decideForCsr(csr, ca);
        if (d.action !== 'sign') throw new Error(`not signed: ${d.action}`);
      }
    }),
  );
  const signerMs = performance.now() - t;

  const key = createPrivateKey(ca.keyPem);
  const tbs = Buffer.alloc(600, 1); // about the size of a leaf's TBSCertificate
  t = performance.now();
  for (let i = 0; i < N; i++) sign('sha256', tbs, key);
  const floorMs = performance.now() - t;

  const rate = (ms: number) => (N / (ms / 1000)).toFixed(0);
  console.log(
    `${algorithm} CA: signer ${rate(signerMs)} CSRs/s, node crypto sign ${rate(floorMs)}/s, ratio signer/floor time ${(signerMs / floorMs).toFixed(1)}`,
  );
}
