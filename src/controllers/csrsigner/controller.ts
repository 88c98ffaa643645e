// Wiring of the CSR signer: one controller keeps the CA in memory in step with
// the Secret `csr-operator-cacerts` (creating it on first start, rotating or
// retiring on request), another signs approved CertificateSigningRequests for
// our signer through the /status subresource. Certificate logic lives in
// ca.ts, request.ts and sign.ts; this file is API plumbing only.
import {
  RETIRE_ANNOTATION,
  ROTATE_ANNOTATION,
  ROTATED_ANNOTATION,
} from '../../apis/csr.banzaicloud.io/keys.ts';
import {
  type Controller,
  type EventRecorder,
  errorMessage,
  type Informer,
  isAlreadyExists,
  isNotFound,
  type KubeObject,
  kind,
  type Manager,
  type ReconcileContext,
  type ReconcileResult,
  type Request,
  type Secret,
  Secrets,
} from '../../kube/index.ts';
import {
  bundlePem,
  CA_SECRET_NAME,
  type CaKeyAlgorithm,
  CaLoadError,
  type CaState,
  caToSecretData,
  generateCa,
  loadCa,
  retire,
  rotate,
} from './ca.ts';
import { DEFAULT_SIGNER_NAME, type KubeCsr, type SignerOptions } from './request.ts';
import { decideForCsr } from './sign.ts';
import { csrStatusFor } from './status.ts';

export type CertificateSigningRequest = KubeCsr & KubeObject;
export const CertificateSigningRequests = kind<CertificateSigningRequest>(
  'certificates.k8s.io/v1',
  'CertificateSigningRequest',
);

export {
  RETIRE_ANNOTATION,
  ROTATE_ANNOTATION,
  ROTATED_ANNOTATION,
} from '../../apis/csr.banzaicloud.io/keys.ts';

export interface CsrSignerOptions extends SignerOptions {
  /** Namespace of the CA Secret (the controller's own). */
  namespace: string;
  caSecretName?: string;
  caAlgorithm?: CaKeyAlgorithm;
  /** Parallel signings (default 4). */
  concurrency?: number;
  /** Rotate by itself when the signing CA has fewer days than this left (default: only on request). */
  rotateBeforeDays?: number;
  /**
   * Also keep the trusted CA certificates (never the key) in this Secret under
   * `root-cert.pem`, the `external-ca-cert` istiod mounts (seed 000 step 7.1).
   */
  publishCa?: { namespace: string; name: string };
}

export const ROOT_CERT_KEY = 'root-cert.pem';
const MANAGED_BY = 'app.kubernetes.io/managed-by';
const MANAGER = 'sdm-csrsigner';

function pemBlocks(text: string): string[] {
  return (text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((b) =>
    b.replace(/\s+/g, ''),
  );
}

function encodeData(data: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) out[k] = Buffer.from(v).toString('base64');
  return out;
}

export class CsrSigner {
  readonly caController: Controller;
  readonly signController: Controller;
  private readonly manager: Manager;
  private readonly options: CsrSignerOptions;
  private readonly secretName: string;
  private readonly caSecrets: Informer<Secret>;
  private readonly csrs: Informer<CertificateSigningRequest>;
  private readonly events: EventRecorder;
  private readonly published: Informer<Secret> | undefined;
  /** Every CA certificate this process has trusted: a published Secret holding only these is ours to update. */
  private readonly knownCaBlocks = new Set<string>();
  private ca: CaState | undefined;
  /** resourceVersion of the Secret the CA in memory came from. */
  private caVersion = '';

  constructor(manager: Manager, options: CsrSignerOptions) {
    this.manager = manager;
    this.options = options;
    this.secretName = options.caSecretName ?? CA_SECRET_NAME;
    this.events = manager.eventRecorder('csrsigner');
    // A field selector on the name lets RBAC limit the Secret by resourceNames.
    const caScope = { namespace: options.namespace, fieldSelector: `metadata.name=${this.secretName}` };
    this.caSecrets = manager.informer(Secrets, caScope);
    this.csrs = manager.informer(CertificateSigningRequests, { namespace: '' });
    let caBuilder = manager.controller('csrsigner-ca').for(Secrets, caScope);
    const publish = options.publishCa;
    if (publish) {
      const publishScope = { namespace: publish.namespace, fieldSelector: `metadata.name=${publish.name}` };
      this.published = manager.informer(Secrets, publishScope);
      caBuilder = caBuilder.watches(
        Secrets,
        () => [{ namespace: options.namespace, name: this.secretName }],
        publishScope,
      );
    }
    this.caController = caBuilder.complete((req, ctx) => this.reconcileCa(req, ctx));
    // The first start has no Secret to send an event: look once anyway.
    this.caController.enqueue({ namespace: options.namespace, name: this.secretName });
    this.signController = manager
      .controller('csrsigner')
      .for(CertificateSigningRequests, {
        namespace: '',
        predicates: [(e) => e.type !== 'delete' && e.object.spec?.signerName === this.signerName],
      })
      .withOptions({ concurrency: options.concurrency ?? 4 })
      .complete((req, ctx) => this.reconcileCsr(req, ctx));
  }

  get signerName(): string {
    return this.options.signerName ?? DEFAULT_SIGNER_NAME;
  }

  /** The CA in use (undefined until loaded). */
  get currentCa(): CaState | undefined {
    return this.ca;
  }

  private async reconcileCa(_req: Request, ctx: ReconcileContext): Promise<ReconcileResult | undefined> {
    const client = this.manager.client;
    const key = { namespace: this.options.namespace, name: this.secretName };
    const secret = this.caSecrets.get(key);
    if (!secret) {
      // Deleted while we run: put back the CA we sign with, so issued certificates stay trusted.
      const ca = this.ca ?? (await generateCa(new Date(), { algorithm: this.options.caAlgorithm }));
      try {
        await client.create({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { ...key, labels: { [MANAGED_BY]: MANAGER } },
          type: 'Opaque',
          data: encodeData(caToSecretData(ca)),
        } as Secret);
        ctx.log.info(
          { subject: ca.cert.subject, secret: this.secretName },
          this.ca ? 'restored the deleted CA Secret' : 'generated a new CA',
        );
      } catch (err) {
        // Another replica was first; its Secret arrives through the watch.
        if (!isAlreadyExists(err)) throw err;
      }
      return undefined;
    }

    const annotations = secret.metadata?.annotations ?? {};
    const rotateTo = annotations[ROTATE_ANNOTATION];
    const retireNow = annotations[RETIRE_ANNOTATION] === 'true';
    const renewBefore = (this.options.rotateBeforeDays ?? 0) * 86_400_000;
    const dueForRenewal = (ca: CaState) =>
      renewBefore > 0 && ca.cert.notAfter.getTime() - Date.now() < renewBefore;
    if (
      secret.metadata?.resourceVersion !== this.caVersion ||
      (this.ca && dueForRenewal(this.ca)) ||
      (rotateTo && rotateTo !== annotations[ROTATED_ANNOTATION]) ||
      retireNow
    ) {
      let loaded: CaState;
      try {
        loaded = await loadCa(secret.data ?? {});
      } catch (err) {
        if (!(err instanceof CaLoadError)) throw err;
        // Keep signing with the CA we had; the message names the problem, not key bytes.
        ctx.log.error({ err: err.message }, 'cannot load the CA Secret, keeping the previous CA');
        this.events.warning(secret, 'InvalidCA', err.message);
        return undefined;
      }
      let next = loaded;
      const newAnnotations: Record<string, string | null> = {};
      if (dueForRenewal(next)) {
        next = await rotate(next, new Date(), { algorithm: this.options.caAlgorithm });
        ctx.log.info(
          { subject: next.cert.subject, trusted: next.bundle.length },
          'rotated the CA before it expires; old CAs stay trusted',
        );
      } else if (rotateTo && rotateTo !== annotations[ROTATED_ANNOTATION]) {
        next = await rotate(next, new Date(), { algorithm: this.options.caAlgorithm });
        newAnnotations[ROTATED_ANNOTATION] = rotateTo;
        ctx.log.info(
          { subject: next.cert.subject, trusted: next.bundle.length },
          'rotated the CA; old CAs stay trusted',
        );
      }
      if (retireNow) {
        next = retire(next);
        newAnnotations[RETIRE_ANNOTATION] = null;
        ctx.log.info({ subject: next.cert.subject }, 'retired old CAs from the bundle');
      }
      if (next !== loaded) {
        const updated = await client.update({
          ...secret,
          metadata: {
            ...secret.metadata,
            annotations: Object.fromEntries(
              Object.entries({ ...annotations, ...newAnnotations }).filter(([, v]) => v !== null),
            ) as Record<string, string>,
          },
          data: { ...secret.data, ...encodeData(caToSecretData(next)) },
        });
        this.caVersion = updated.metadata?.resourceVersion ?? '';
      } else {
        this.caVersion = secret.metadata?.resourceVersion ?? '';
      }
      const first = !this.ca;
      this.ca = next;
      for (const c of next.bundle) for (const b of pemBlocks(c.toString('pem'))) this.knownCaBlocks.add(b);
      if (first) {
        for (const csr of this.csrs.list()) this.signController.enqueue({ name: csr.metadata?.name ?? '' });
      }
    }
    const published = await this.publish(ctx);
    if (!renewBefore || !this.ca) return published;
    // Look again when renewal falls due (at least daily, so clock jumps are noticed).
    const due = Math.max(1000, this.ca.cert.notAfter.getTime() - renewBefore - Date.now());
    return { requeueAfter: Math.min(due, 86_400_000, published?.requeueAfter ?? Number.POSITIVE_INFINITY) };
  }

  /** Keeps root-cert.pem in the published Secret equal to the CA bundle. */
  private async publish(ctx: ReconcileContext): Promise<ReconcileResult | undefined> {
    const target = this.options.publishCa;
    if (!target || !this.ca || !this.published) return undefined;
    const client = this.manager.client;
    const data = { [ROOT_CERT_KEY]: Buffer.from(bundlePem(this.ca)).toString('base64') };
    const existing = this.published.get(target);
    if (!existing) {
      try {
        await client.create({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { ...target, labels: { [MANAGED_BY]: MANAGER } },
          type: 'Opaque',
          data,
        } as Secret);
        ctx.log.info({ namespace: target.namespace, secret: target.name }, 'published the CA certificates');
        return undefined;
      } catch (err) {
        if (isAlreadyExists(err)) return { requeueAfter: 1000 }; // the cache is behind
        // The mesh namespace may not exist yet.
        if (isNotFound(err)) return { requeueAfter: 10_000 };
        throw err;
      }
    }
    if (existing.data?.[ROOT_CERT_KEY] === data[ROOT_CERT_KEY]) return undefined;
    const current = pemBlocks(Buffer.from(existing.data?.[ROOT_CERT_KEY] ?? '', 'base64').toString('utf8'));
    const ours =
      existing.metadata?.labels?.[MANAGED_BY] === MANAGER ||
      (current.length > 0 && current.every((b) => this.knownCaBlocks.has(b)));
    if (!ours) {
      const message = `Secret ${target.namespace}/${target.name} holds certificates that are not this signer's CA; left alone`;
      ctx.log.warn(message);
      this.events.warning(existing, 'NotOurs', message);
      return undefined;
    }
    await client.update({
      ...existing,
      metadata: { ...existing.metadata, labels: { ...existing.metadata?.labels, [MANAGED_BY]: MANAGER } },
      data: { ...existing.data, ...data },
    });
    ctx.log.info(
      { namespace: target.namespace, secret: target.name },
      'updated the published CA certificates',
    );
    return undefined;
  }

  private async reconcileCsr(req: Request, ctx: ReconcileContext): Promise<ReconcileResult | undefined> {
    const csr = this.csrs.get(req);
    if (!csr) return undefined; // gone (istiod deletes its CSRs after 60 s)
    const ca = this.ca;
    if (!ca) return { requeueAfter: 500 };
    const decision = await decideForCsr(csr, ca, this.options);
    if (decision.action === 'skip') return undefined;
    try {
      await this.manager.client.modify(
        CertificateSigningRequests,
        { name: req.name },
        (current) => {
          const status = csrStatusFor(current.status, decision, new Date());
          return status ? { ...current, status } : undefined;
        },
        { subresource: 'status', signal: ctx.signal },
      );
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw new Error(`writing the status of CSR ${req.name}: ${errorMessage(err)}`);
    }
    if (decision.action === 'sign') ctx.log.info({ csr: req.name }, 'signed');
    else ctx.log.warn({ csr: req.name, reason: decision.reason, message: decision.message }, 'refused');
    return undefined;
  }
}

export function registerCsrSigner(manager: Manager, options: CsrSignerOptions): CsrSigner {
  return new CsrSigner(manager, options);
}
