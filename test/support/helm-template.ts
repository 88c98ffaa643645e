// `helm template` of one of our charts (charts/<chart>) with the pinned helm,
// CRDs included, parsed into objects: what the chart tests assert on.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { toolPath } from '../../src/devcluster/tools.ts';

const chartsDir = join(import.meta.dirname, '..', '..', 'charts');

/** The chart's objects (empty documents dropped); T is the shape the test reads. */
export function helmTemplate<T>(chart: string, release: string, namespace: string, set: string[] = []): T[] {
  const out = execFileSync(
    toolPath('helm'),
    [
      'template',
      release,
      join(chartsDir, chart),
      '-n',
      namespace,
      '--include-crds',
      ...set.flatMap((s) => ['--set', s]),
    ],
    { encoding: 'utf8' },
  );
  return parseAllDocuments(out)
    .map((d) => d.toJS() as T | null)
    .filter((o): o is T => !!o);
}
