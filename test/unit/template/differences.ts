/**
 * The documented, deliberate differences between sdm's template engine and Go's text/template +
 * sprig v3.3 (+ Helm's toYaml/fromYaml) as the upstream cluster-registry-controller runs them.
 * Each has a name, the reason, a test that recognises a mismatch it explains, and probes: cases
 * that must still differ exactly as documented (so a difference cannot silently disappear or
 * change shape). Anything else that differs is a bug.
 */
import type { Outcome } from './differential.ts';
import type { OracleCase, OracleResult } from './oracle.ts';

export interface Difference {
  readonly name: string;
  readonly why: string;
  /** Does this difference explain the mismatch of template t? */
  explains(t: string, go: OracleResult, sdm: Outcome): boolean;
  /** Cases that differ because of it, and how sdm answers them. */
  readonly probes: ReadonlyArray<{ readonly c: OracleCase; readonly sdm: (o: Outcome) => boolean }>;
}

export const DIFFERENCES: readonly Difference[] = [];
