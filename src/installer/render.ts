// Rendering a component's chart with `helm template`, cached by (chart digest,
// values hash): a reconcile with nothing changed renders nothing.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { repoRoot, toolPath } from '../devcluster/tools.ts';
import type { KubeObject } from '../kube/index.ts';
import type { ChartRef, Values } from './types.ts';

export class RenderError extends Error {
  override name = 'RenderError';
}

/** Where a chart actually comes from after the local override is applied. */
export interface ResolvedChart {
  /** helm's chart argument: a directory, name (with --repo) or oci:// reference. */
  source: string;
  repo?: string;
  version?: string;
  /** For local charts: the directory, whose files make the digest. */
  dir?: string;
}

/**
 * A chart directory named like the chart in chartsDir (air-gapped installs,
 * tests) overrides the catalog; it must carry the pinned version.
 */
export function resolveChart(chart: ChartRef, chartsDir: string | undefined): ResolvedChart {
  const local = chartsDir ? join(chartsDir, chart.name) : undefined;
  if (local && existsSync(join(local, 'Chart.yaml'))) {
    const meta = parseYaml(readFileSync(join(local, 'Chart.yaml'), 'utf8')) as { version?: string };
    if (chart.version && String(meta?.version) !== chart.version) {
      throw new RenderError(
        `chart ${chart.name} version ${chart.version} not found: ${local} has version ${meta?.version}`,
      );
    }
    return { source: local, dir: local };
  }
  const repo = chart.repository;
  if (repo.startsWith('oci://'))
    return { source: `${repo.replace(/\/$/, '')}/${chart.name}`, version: chart.version };
  // https://, or a scheme a helm plugin serves (s3://).
  if (repo.includes('://')) {
    return { source: chart.name, repo, version: chart.version };
  }
  const dir = isAbsolute(repo) ? repo : join(repoRoot, repo);
  if (!existsSync(join(dir, 'Chart.yaml'))) {
    throw new RenderError(`chart ${chart.name} not found at ${relative(repoRoot, dir) || dir}`);
  }
  return { source: dir, dir };
}

/** Content hash of a chart directory (every file, by relative path). */
export function dirDigest(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(relative(dir, p)).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  walk(dir);
  return h.digest('hex');
}

/** JSON with sorted keys, so equal values hash equally. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function chartDigest(chart: ResolvedChart): string {
  return chart.dir
    ? `dir:${dirDigest(chart.dir)}`
    : `ref:${chart.repo ?? ''}|${chart.source}|${chart.version ?? ''}`;
}

export function cacheKey(digest: string, release: string, namespace: string, values: Values): string {
  return createHash('sha256').update(canonicalJson({ digest, release, namespace, values })).digest('hex');
}

function helmBinary(): string {
  return process.env.SDM_HELM ?? toolPath('helm');
}

function run(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      args,
      { maxBuffer: 64 << 20, env: { ...process.env, HELM_CACHE_HOME: helmCache() } },
      (err, stdout, stderr) => {
        if (err) reject(new RenderError(stderr.trim().split('\n').slice(0, 5).join(' ') || err.message));
        else resolve(stdout);
      },
    );
  });
}

function helmCache(): string {
  return process.env.HELM_CACHE_HOME ?? join(tmpdir(), 'sdm-helm-cache');
}

/** Parses helm's multi-document output into objects (empty documents dropped). */
export function parseManifests(text: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if ('errors' in doc && doc.errors.length > 0)
      throw new RenderError(`chart rendered invalid YAML: ${doc.errors[0]?.code}`);
    const v = doc.toJS() as KubeObject | null;
    if (!v || typeof v !== 'object') continue;
    if (v.kind?.endsWith('List') && Array.isArray((v as { items?: unknown }).items)) {
      out.push(...((v as { items: KubeObject[] }).items ?? []));
    } else out.push(v);
  }
  return out;
}

export class Renderer {
  private readonly cache = new Map<string, KubeObject[]>();
  /** How many times helm actually ran (a no-op reconcile keeps this unchanged). */
  renders = 0;
  private readonly chartsDir: string | undefined;

  constructor(chartsDir: string | undefined) {
    this.chartsDir = chartsDir;
  }

  async render(
    chart: ChartRef,
    release: string,
    namespace: string,
    values: Values,
  ): Promise<{ objects: KubeObject[]; key: string }> {
    const resolved = resolveChart(chart, this.chartsDir);
    const key = cacheKey(chartDigest(resolved), release, namespace, values);
    const hit = this.cache.get(key);
    if (hit) return { objects: structuredClone(hit), key };
    const tmp = mkdtempSync(join(tmpdir(), 'sdm-values-'));
    try {
      const valuesFile = join(tmp, 'values.json');
      writeFileSync(valuesFile, JSON.stringify(values), { mode: 0o600 });
      const args = [
        'template',
        release,
        resolved.source,
        '--namespace',
        namespace,
        '--include-crds',
        '--values',
        valuesFile,
      ];
      if (resolved.repo) args.push('--repo', resolved.repo);
      if (resolved.version) args.push('--version', resolved.version);
      this.renders++;
      const objects = parseManifests(await run(helmBinary(), args));
      this.cache.set(key, objects);
      return { objects: structuredClone(objects), key };
    } catch (err) {
      if (err instanceof RenderError)
        throw new RenderError(`chart ${chart.name}: ${err.message.replace(tmp, '<values>')}`);
      throw err;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}
