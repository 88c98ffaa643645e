// The rules the sync engine runs: the ResourceSyncRules of the cluster, plus core sync's built-in ones.
import type { ResourceSyncRule } from '../../apis/clusterregistry.k8s.cisco.com/v1alpha1/resourcesyncrule.ts';

/**
 * A rule as the engine runs it. Built-in (core sync) rules exist only in memory: they may be limited
 * to one namespace (peers' readers can see Secrets of that namespace only), and they skip objects
 * created locally without complaint, since registering a peer by hand is the normal case there.
 */
export type EngineRule = ResourceSyncRule & { builtin?: { namespace?: string } };
