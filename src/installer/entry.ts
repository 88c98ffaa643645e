// The entry `sdm operator --controllers=applicationmanifest` runs: the
// installer, reconciling ApplicationManifests into a running platform.
import { Type } from '@sinclair/typebox';
import { defineController } from '../kube/index.ts';
import { CONTROLLER_NAME, registerApplicationManifestController } from './controller.ts';

/** Local chart directories replacing the catalog's repositories (air-gapped installs). */
export const CHARTS_DIR_ENV = 'SDM_CHARTS_DIR';

/** $SDM_CHARTS_DIR, for the CLI's commands: the operator reads it through the option below. */
export function chartsDirFromEnv(env: Record<string, string | undefined>): string | undefined {
  return env[CHARTS_DIR_ENV] || undefined;
}

export const applicationManifestOptions = Type.Object({
  chartsDir: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'a directory <dir>/<chart-name> replacing the catalog’s chart repositories',
      env: CHARTS_DIR_ENV,
      aliases: ['charts-dir'],
    }),
  ),
});

export const applicationManifestEntry = defineController({
  name: CONTROLLER_NAME,
  description: 'the installer: reconciles ApplicationManifests into a running platform',
  options: applicationManifestOptions,
  register(manager, options) {
    registerApplicationManifestController(manager, { chartsDir: options.chartsDir });
  },
});
