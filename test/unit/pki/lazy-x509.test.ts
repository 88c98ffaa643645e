// @peculiar/x509 and the reflect-metadata polyfill it needs (about 21 MiB,
// bench/memory/modules.ts) are loaded when a certificate is first made or
// read (src/pki/x509.ts), not when `sdm operator` starts: loading every
// controller's modules (`sdm operator --list`) resolves neither; loadX509()
// then loads both and gives a working library on Node's WebCrypto.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runModuleProbe, repoUrl as url } from '../../support/module-probe.ts';

const body = `
process.argv = [process.argv[0], 'sdm', 'operator', '--list'];
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true;
await import(${JSON.stringify(url('src/cli/operator-main.ts'))});
process.stdout.write = write;
out.operatorModules = [...loaded].filter((u) => u.includes('/src/controllers/')).length;
out.atStart = { x509: count('@peculiar/x509'), reflect: count('reflect-metadata') };
const { loadX509 } = await import(${JSON.stringify(url('src/pki/x509.ts'))});
const x509 = loadX509();
out.afterLoad = { x509: count('@peculiar/x509'), reflect: count('reflect-metadata') };
const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const keys = await crypto.subtle.generateKey(alg, true, ['sign', 'verify']);
const cert = await x509.X509CertificateGenerator.createSelfSigned({
  serialNumber: '01', name: 'CN=lazy', keys, signingAlgorithm: alg,
  extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
});
out.subject = new x509.X509Certificate(cert.toString('pem')).subject;
out.same = loadX509() === x509;
`;

describe('@peculiar/x509 is loaded lazily', () => {
  it('is not loaded by sdm operator at start, and works once loadX509() is called', () => {
    const out = runModuleProbe(body);
    assert.ok(
      out.operatorModules > 10,
      `the operator's controllers were not loaded (${out.operatorModules})`,
    );
    assert.deepEqual(out.atStart, { x509: 0, reflect: 0 }, 'sdm operator loaded x509 at start');
    assert.ok(out.afterLoad.x509 > 0 && out.afterLoad.reflect > 0, JSON.stringify(out.afterLoad));
    assert.equal(out.subject, 'CN=lazy');
    assert.equal(out.same, true, 'loadX509() loaded the library twice');
  });
});
