// Every label and annotation of the supertubes.banzaicloud.io API group the
// installer writes, in one place.

/** On every applied object and inventory ConfigMap: the ApplicationManifest's name. */
export const LABEL_MANIFEST = 'supertubes.banzaicloud.io/manifest';
/** On every applied object and inventory ConfigMap: the component that rendered it. */
export const LABEL_COMPONENT = 'supertubes.banzaicloud.io/component';
/** On the per-component inventory ConfigMaps. */
export const LABEL_INVENTORY = 'supertubes.banzaicloud.io/inventory';
/** On a Helm hook object: the run (revision) it belongs to, so no hook runs twice. */
export const HOOK_RUN = 'supertubes.banzaicloud.io/hook-run';
