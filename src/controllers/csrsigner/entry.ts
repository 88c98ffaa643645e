// The entry `sdm operator --controllers=csrsigner` runs: signs approved
// CertificateSigningRequests for the private CA signer with a CA kept in the
// Secret csr-operator-cacerts (README: "CSR signer and private CA").
import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../apis/schema.ts';
import { defineController } from '../../kube/index.ts';
import { CA_KEY_ALGORITHMS } from './ca.ts';
import { registerCsrSigner } from './controller.ts';

export const CSR_SIGNER_CONTROLLER = 'csrsigner';
const DEFAULT_NAMESPACE = 'csr-operator-system';

export const csrSignerOptions = Type.Object({
  namespace: Type.Optional(
    Type.String({
      minLength: 1,
      description: `namespace of the CA Secret (default: the operator's, else ${DEFAULT_NAMESPACE})`,
    }),
  ),
  signerName: Type.Optional(
    Type.String({ minLength: 1, description: 'signerName of the requests to sign', env: 'CSR_SIGNER_NAME' }),
  ),
  caSecretName: Type.Optional(Type.String({ description: 'name of the CA Secret' })),
  caAlgorithm: Type.Optional(
    StringEnum(CA_KEY_ALGORITHMS, { description: 'key algorithm of a new CA', env: 'CSR_CA_ALGORITHM' }),
  ),
  maxDurationSeconds: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: 'upper bound of issued certificate lifetimes',
      env: 'CSR_MAX_DURATION_SECONDS',
    }),
  ),
  rotateBeforeDays: Type.Optional(
    Type.Number({
      minimum: 0,
      description: 'rotate the CA by itself with fewer days left (0: only on request)',
      env: 'CSR_ROTATE_BEFORE_DAYS',
    }),
  ),
  publishCa: Type.Optional(
    Type.String({
      pattern: '^[^/]+/[^/]+$',
      description: 'keep root-cert.pem in this Secret, <namespace>/<name>',
      env: 'CSR_PUBLISH_CA',
    }),
  ),
  allowedUsages: Type.Optional(
    Type.Array(Type.String(), { description: 'Kubernetes key usages a request may ask for' }),
  ),
});

export const csrSignerEntry = defineController({
  name: CSR_SIGNER_CONTROLLER,
  description:
    'Signs approved CertificateSigningRequests for the private CA signer (csr.banzaicloud.io/privateca)',
  options: csrSignerOptions,
  register(manager, options, context) {
    const [publishNs, publishName] = options.publishCa?.split('/') ?? [];
    registerCsrSigner(manager, {
      namespace: options.namespace ?? context.podNamespace ?? DEFAULT_NAMESPACE,
      signerName: options.signerName,
      caSecretName: options.caSecretName,
      caAlgorithm: options.caAlgorithm,
      maxDurationSeconds: options.maxDurationSeconds,
      rotateBeforeDays: options.rotateBeforeDays,
      publishCa: publishNs && publishName ? { namespace: publishNs, name: publishName } : undefined,
      allowedUsages: options.allowedUsages,
    });
  },
});
