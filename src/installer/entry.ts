// The entry `sdm operator --controllers=applicationmanifest` runs.
import type { ControllerEntry } from '../controllers/index.ts';
import { CONTROLLER_NAME, registerApplicationManifestController } from './controller.ts';

export const applicationManifestEntry: ControllerEntry = {
  name: CONTROLLER_NAME,
  description: 'the installer: reconciles ApplicationManifests into a running platform',
  register(manager, options) {
    registerApplicationManifestController(manager, {
      chartsDir: options['charts-dir'] ?? (process.env.SDM_CHARTS_DIR || undefined),
    });
  },
};
