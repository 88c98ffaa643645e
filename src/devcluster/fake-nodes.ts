// Nodes that kwok plays the kubelet for: it keeps them Ready and moves pods
// bound to them through Pending -> Running -> Ready (no containers run).
import type { V1Node } from '@kubernetes/client-node';

export const kwokNodeAnnotation = 'kwok.x-k8s.io/node';

export function fakeNode(name: string): V1Node {
  const resources = { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '1Ti' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [kwokNodeAnnotation]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': name,
        'node-role.kubernetes.io/agent': '',
        type: 'kwok',
        'topology.kubernetes.io/region': 'local',
        'topology.kubernetes.io/zone': 'local-a',
      },
    },
    status: {
      allocatable: resources,
      capacity: resources,
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: 'fake',
        kubeProxyVersion: 'fake',
        bootID: '',
        containerRuntimeVersion: '',
        kernelVersion: '',
        machineID: '',
        osImage: '',
        systemUUID: '',
      },
      phase: 'Running',
    },
  };
}
