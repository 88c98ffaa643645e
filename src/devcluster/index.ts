// Local Kubernetes control planes for the demo and every integration test.
export {
  type ComponentName,
  ControlPlane,
  type ControlPlaneState,
  componentNames,
  type ListedControlPlane,
  listControlPlanes,
  openControlPlane,
  reapStaleControlPlanes,
  type StartOptions,
  startControlPlane,
} from './control-plane.ts';
export {
  type KafkaBrokerState,
  type KafkaStartOptions,
  type KafkaState,
  type KafkaStopBrokerOptions,
  kafkaToolsDir,
  LocalKafka,
  openKafka,
  reapStaleKafkas,
  startKafka,
} from './kafka.ts';
export type { SaslUsers } from './kafka-sasl.ts';
export { devClustersHome, toolPath, toolsBinDir } from './tools.ts';
