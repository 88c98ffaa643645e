// Step "keep generated": before comparing and applying, what the chart made
// at random (certificates, passwords) takes the values the cluster already
// has, as a group (generated.ts), so a steady state rotates nothing.
import { type KubeObject, NoKindMatchError } from '../../kube/index.ts';
import { keepGenerated, type Path } from '../generated.ts';
import { refOf } from '../inventory.ts';
import type { PassIO } from './pass-io.ts';

export async function keepGeneratedStep(
  io: Pick<PassIO, 'client'>,
  generated: ReadonlyMap<KubeObject, Path[]>,
): Promise<boolean> {
  const group: { desired: KubeObject; paths: Path[]; live: KubeObject | undefined }[] = [];
  for (const [desired, paths] of generated) {
    let live: KubeObject | undefined;
    try {
      live = await io.client.getIfExists(refOf(desired), refOf(desired));
    } catch (err) {
      // Its kind is not served yet: nothing of the group can be live.
      if (!(err instanceof NoKindMatchError)) throw err;
    }
    group.push({ desired, paths, live });
  }
  return keepGenerated(group);
}
