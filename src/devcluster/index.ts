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
export { devClustersHome, toolPath, toolsBinDir } from './tools.ts';
