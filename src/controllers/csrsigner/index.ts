// The CSR signer and private CA (spec/controllers.md): signs approved
// CertificateSigningRequests for csr.banzaicloud.io/privateca (configurable)
// with a CA kept in the Secret csr-operator-cacerts.
import type { ControllerEntry } from '../index.ts';
import { CA_KEY_ALGORITHMS, type CaKeyAlgorithm } from './ca.ts';
import { registerCsrSigner } from './controller.ts';

export * from './ca.ts';
export * from './controller.ts';
export * from './request.ts';
export * from './sign.ts';

export const csrSignerController: ControllerEntry = {
  name: 'csrsigner',
  description:
    'Signs approved CertificateSigningRequests for the private CA signer (csr.banzaicloud.io/privateca)',
  register(manager, options) {
    const env = process.env;
    const algorithm = options.caAlgorithm ?? env.CSR_CA_ALGORITHM;
    if (algorithm && !(CA_KEY_ALGORITHMS as readonly string[]).includes(algorithm)) {
      throw new Error(
        `caAlgorithm must be one of ${CA_KEY_ALGORITHMS.join(', ')}, got ${JSON.stringify(algorithm)}`,
      );
    }
    const publish = options.publishCa ?? env.CSR_PUBLISH_CA;
    const [publishNs, publishName] = publish ? publish.split('/') : [];
    if (publish && !(publishNs && publishName)) {
      throw new Error(`publishCa must be <namespace>/<name>, got ${JSON.stringify(publish)}`);
    }
    const rotateBefore = options.rotateBeforeDays ?? env.CSR_ROTATE_BEFORE_DAYS;
    if (rotateBefore !== undefined && !(Number(rotateBefore) >= 0)) {
      throw new Error(`rotateBeforeDays must be a number of days, got ${JSON.stringify(rotateBefore)}`);
    }
    const maxDuration = options.maxDurationSeconds ?? env.CSR_MAX_DURATION_SECONDS;
    registerCsrSigner(manager, {
      namespace: options.namespace ?? env.POD_NAMESPACE ?? 'csr-operator-system',
      signerName: options.signerName ?? env.CSR_SIGNER_NAME ?? undefined,
      caSecretName: options.caSecretName ?? undefined,
      caAlgorithm: algorithm as CaKeyAlgorithm | undefined,
      maxDurationSeconds: maxDuration ? Number(maxDuration) : undefined,
      rotateBeforeDays: rotateBefore !== undefined ? Number(rotateBefore) : undefined,
      publishCa: publishNs && publishName ? { namespace: publishNs, name: publishName } : undefined,
      allowedUsages: options.allowedUsages
        ? options.allowedUsages.split(',').map((u) => u.trim())
        : undefined,
    });
  },
};
