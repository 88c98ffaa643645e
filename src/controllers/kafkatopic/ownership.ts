// Never two controllers for one CRD: when Strimzi's own operator installed
// kafkatopics.kafka.strimzi.io (its labels say so), Strimzi's topic operator
// serves KafkaTopics and ours stays off, saying why.
import type { KubeObject } from '../../kube/index.ts';

export const KAFKATOPIC_CRD = 'kafkatopics.kafka.strimzi.io';

/** Why the CRD is Strimzi's (naming who installed it), or undefined when it is not. */
export function strimziOwnership(crd: KubeObject | undefined): string | undefined {
  const labels = crd?.metadata?.labels ?? {};
  const annotations = crd?.metadata?.annotations ?? {};
  const strimziKeys = Object.keys(labels).filter((k) => k.startsWith('strimzi.io/'));
  if (labels.app !== 'strimzi' && strimziKeys.length === 0) return undefined;
  const marks = [
    labels.app === 'strimzi' ? 'app=strimzi' : '',
    ...strimziKeys.map((k) => `${k}=${labels[k]}`),
  ].filter(Boolean);
  const installer = [
    labels.chart ? `chart ${labels.chart}` : '',
    labels.release || annotations['meta.helm.sh/release-name']
      ? `release ${labels.release || annotations['meta.helm.sh/release-name']}`
      : '',
    labels.heritage ? `by ${labels.heritage}` : '',
  ].filter(Boolean);
  return `the CRD ${KAFKATOPIC_CRD} was installed by Strimzi (${[...marks, ...installer].join(', ')}): Strimzi's topic operator serves KafkaTopics, so sdm's kafkatopic controller stays off`;
}
