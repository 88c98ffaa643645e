// Whose is an object that already exists where a chart wants to put one?
// Helm 3's rule: an existing object without the release's ownership metadata
// "exists and cannot be imported into the current release: invalid ownership
// metadata" — it is never taken over silently (a user's ConfigMap that happens
// to share a chart object's name would be overwritten, then deleted at
// disable). Ours means: labelled with this manifest and component (what the
// render step puts on every object), or made by our field manager before it
// carried labels (the namespaces the pass ensures). Adopting an object is a
// deliberate act: adding those two labels.
import type { KubeObject } from '../../kube/index.ts';
import { FIELD_MANAGER } from '../field-manager.ts';
import { LABEL_COMPONENT, LABEL_MANIFEST } from '../inventory.ts';
import { describe } from './pass-io.ts';

export class NotOursError extends Error {
  override name = 'NotOursError';
}

/**
 * Why current (live) must not be overwritten by desired, or undefined when it
 * is ours to change. desired carries the labels the render step put on it. Pure.
 */
export function ownershipProblem(desired: KubeObject, current: KubeObject): string | undefined {
  const want = desired.metadata?.labels ?? {};
  const has = current.metadata?.labels ?? {};
  const manifest = want[LABEL_MANIFEST];
  const component = want[LABEL_COMPONENT];
  if (manifest === undefined || component === undefined) return undefined; // not an object of a chart
  if (has[LABEL_MANIFEST] === manifest && has[LABEL_COMPONENT] === component) return undefined;
  const ourManager = (current.metadata?.managedFields ?? []).some((f) => f.manager === FIELD_MANAGER);
  if (has[LABEL_COMPONENT] === undefined && has[LABEL_MANIFEST] === undefined && ourManager) return undefined;
  const owner =
    has[LABEL_COMPONENT] !== undefined
      ? `it belongs to component ${has[LABEL_COMPONENT]} of ApplicationManifest ${has[LABEL_MANIFEST] ?? '(unknown)'}`
      : 'it was not created by this installer (no ownership labels)';
  return (
    `${describe(desired)} exists and cannot be taken over by component ${component}: ${owner}; ` +
    `to let ${component} manage it, label it ${LABEL_MANIFEST}=${manifest} and ${LABEL_COMPONENT}=${component}, ` +
    'or delete it or move the component to another namespace'
  );
}
