// Rendering a component's chart with `helm template`, the way Helm renders
// against a live cluster (--kube-version and --api-versions from the cluster,
// see capabilities.ts), read as Kubernetes reads YAML (yaml11.ts). Cached by
// (chart digest, values, capabilities): a reconcile with nothing changed
// renders nothing.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { canonicalJson, type KubeObject } from '../kube/index.ts';
import { packageRoot } from '../package-root.ts';
import { type Capabilities, type CapabilityOverrides, capabilitiesFor } from './capabilities.ts';
import { generatedPaths, type Path } from './generated.ts';
import { helmBinary } from './helm.ts';
import type { ChartRef, Values } from './types.ts';
import { parseYaml11Documents, Yaml11Error } from './yaml11.ts';

export { canonicalJson };

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
  const dir = isAbsolute(repo) ? repo : join(packageRoot, repo);
  if (!existsSync(join(dir, 'Chart.yaml'))) {
    throw new RenderError(`chart ${chart.name} not found at ${relative(packageRoot, dir) || dir}`);
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

/** Every file's path, size and modification time: cheap to take, changes when any file does. */
function dirSignature(dir: string): string {
  const parts: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else parts.push(`${relative(dir, p)}\0${st.size}\0${st.mtimeMs}`);
    }
  };
  walk(dir);
  return parts.join('\n');
}

// A mirrored chart is megabytes (kube-prometheus-stack with its subcharts):
// its contents are hashed again only when a file's size or time changed.
const digests = new Map<string, { signature: string; digest: string }>();

export function chartDigest(chart: ResolvedChart): string {
  if (!chart.dir) return `ref:${chart.repo ?? ''}|${chart.source}|${chart.version ?? ''}`;
  const signature = dirSignature(chart.dir);
  const known = digests.get(chart.dir);
  if (known?.signature === signature) return known.digest;
  const digest = `dir:${dirDigest(chart.dir)}`;
  digests.set(chart.dir, { signature, digest });
  return digest;
}

export function cacheKey(
  digest: string,
  release: string,
  namespace: string,
  values: Values,
  capabilities?: Capabilities,
): string {
  return createHash('sha256')
    .update(canonicalJson({ digest, release, namespace, values, capabilities: capabilities ?? null }))
    .digest('hex');
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

/**
 * Parses helm's multi-document output into objects (empty documents
 * dropped), reading scalars as Kubernetes does (YAML 1.1: 0555 is octal).
 */
export function parseManifests(text: string): KubeObject[] {
  const out: KubeObject[] = [];
  let docs: unknown[];
  try {
    docs = parseYaml11Documents(text);
  } catch (err) {
    if (err instanceof Yaml11Error) throw new RenderError(`chart rendered invalid YAML: ${err.message}`);
    throw err;
  }
  for (const doc of docs) {
    const v = doc as KubeObject | null;
    if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
    if (v.kind?.endsWith('List') && Array.isArray((v as { items?: unknown }).items)) {
      out.push(...((v as { items: KubeObject[] }).items ?? []));
    } else out.push(v);
  }
  return out;
}

/** What a render is asked for besides chart, release, namespace and values. */
export interface RenderOptions {
  /** The cluster's capabilities (absent: helm template's built-in defaults). */
  cluster?: Capabilities | undefined;
  /** The component's spec.<component>.kubeVersion / .apiVersions. */
  overrides?: CapabilityOverrides | undefined;
  /** Where the component's block is (spec.istioOperator), for messages. */
  specPath?: string | undefined;
}

/**
 * helm's refusals, said so that a user knows what to do: a chart whose
 * kubeVersion excludes the cluster names both versions and the override; a
 * chart whose dependencies are missing names them and the fix.
 */
export function explainHelmError(
  message: string,
  chart: { name: string; version?: string | undefined; dir?: string | undefined },
  options: { specPath?: string | undefined; kubeVersionOverridden?: boolean } = {},
): string {
  const name = chart.version ? `${chart.name} ${chart.version}` : chart.name;
  const kube = /chart requires kubeVersion: (.+?) which is incompatible with Kubernetes (\S+)/.exec(message);
  if (kube) {
    const [, constraint, version] = kube;
    const path = options.specPath ?? 'spec.<component>';
    return options.kubeVersionOverridden
      ? `chart ${name} requires Kubernetes ${constraint}, and ${path}.kubeVersion asks to render it for ${version}: set a version the chart accepts`
      : `chart ${name} requires Kubernetes ${constraint}, the cluster runs ${version}: it refuses to install here. Set ${path}.kubeVersion to a version it accepts to install it anyway, at your own risk`;
  }
  const deps = /missing in charts\/ directory: (.+?)(\s+Use --debug.*)?$/.exec(message);
  if (deps) {
    const where = chart.dir ? join(chart.dir, 'charts') : 'its charts/ directory';
    return `chart ${name}: its dependencies ${deps[1]} are missing from ${where}. A chart mirror must hold the packaged chart (which carries its dependencies), not a copy of its source: run helm dependency build where their repositories are reachable, or mirror the chart's .tgz`;
  }
  return `chart ${name}: ${message}`;
}

export class Renderer {
  private readonly cache = new Map<string, { objects: KubeObject[]; generated: Path[][] }>();
  /** helm's refusals of local charts: the same inputs give the same refusal, so helm is not asked again. */
  private readonly refusals = new Map<string, RenderError>();
  /** How many times helm actually ran (a no-op reconcile keeps this unchanged). */
  renders = 0;
  private readonly chartsDir: string | undefined;
  private readonly capabilities: { get(): Promise<Capabilities> } | undefined;

  /**
   * capabilities: where the cluster's version and API versions come from
   * (a CapabilitiesCache); without it charts see helm template's defaults.
   */
  constructor(
    chartsDir: string | undefined,
    options: { capabilities?: { get(): Promise<Capabilities> } } = {},
  ) {
    this.chartsDir = chartsDir;
    this.capabilities = options.capabilities;
  }

  async render(
    chart: ChartRef,
    release: string,
    namespace: string,
    values: Values,
    options: RenderOptions = {},
  ): Promise<{ objects: KubeObject[]; key: string; generated: Path[][] }> {
    const resolved = resolveChart(chart, this.chartsDir);
    const overrides = options.overrides ?? {};
    const cluster = options.cluster ?? (await this.capabilities?.get());
    const capabilities =
      cluster || overrides.kubeVersion || overrides.apiVersions
        ? capabilitiesFor(cluster ?? { kubeVersion: '', apiVersions: [] }, overrides)
        : undefined;
    const key = cacheKey(chartDigest(resolved), release, namespace, values, capabilities);
    const hit = this.cache.get(key);
    if (hit) return { objects: structuredClone(hit.objects), key, generated: hit.generated };
    const refused = this.refusals.get(key);
    if (refused) throw refused;
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
      if (capabilities?.kubeVersion) args.push('--kube-version', capabilities.kubeVersion);
      for (const v of capabilities?.apiVersions ?? []) args.push('--api-versions', v);
      this.renders++;
      const objects = parseManifests(await run(helmBinary(), args));
      // A second render shows what the chart generates at random (generated.ts, H3's).
      const generated = generatedPaths(objects, parseManifests(await run(helmBinary(), args)));
      this.cache.set(key, { objects, generated });
      return { objects: structuredClone(objects), key, generated };
    } catch (err) {
      if (!(err instanceof RenderError)) throw err;
      const refusal = new RenderError(
        explainHelmError(
          err.message.replaceAll(tmp, '<values>'),
          {
            name: chart.name,
            version: chart.version,
            dir: resolved.dir,
          },
          { specPath: options.specPath, kubeVersionOverridden: overrides.kubeVersion !== undefined },
        ),
      );
      // Only refusals that depend on nothing but the inputs are remembered.
      if (resolved.dir && /requires kubeVersion|missing in charts\/ directory/.test(err.message))
        this.refusals.set(key, refusal);
      throw refusal;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}
