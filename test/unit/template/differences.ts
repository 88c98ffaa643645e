/**
 * The documented, deliberate differences between sdm's template engine and Go's text/template +
 * sprig v3.3 (+ Helm's toYaml/fromYaml/required) with the upstream cluster-registry-controller's
 * data. Each has a name, the reason, a test that recognises a mismatch it explains, and probes:
 * cases that must still differ from Go, the way documented (so a difference cannot silently
 * vanish or change shape). Any other mismatch in the differential run is a bug.
 * src/template/README.md lists the same differences for template authors.
 */
import type { Outcome } from './differential.ts';
import { ORACLE_CRASH, type OracleCase, type OracleResult } from './oracle.ts';

export interface Difference {
  readonly name: string;
  readonly why: string;
  /** Does this difference explain the mismatch of template t? */
  explains(t: string, go: OracleResult, sdm: Outcome): boolean;
  /** Cases that differ because of it, with what sdm must answer. */
  readonly probes: ReadonlyArray<{ readonly c: OracleCase; readonly sdm: (o: Outcome) => boolean }>;
}

const plain = (t: string): OracleCase => ({ t, d: null });
const registry = (t: string, d: unknown): OracleCase => ({ t, d, m: 'registry' });

/** Go's parse error "template: t:LINE: MSG" against ours "template: t:LINE:COL: MSG". */
const GO_PARSE = /^template: t:\d+: (.*)$/s;
const SDM_PARSE = /^template: t:\d+:\d+: (.*)$/s;

const BYTE_CUTTERS =
  /\b(trunc|substr|slice|index|nospace|b64dec|sha1sum|sha256sum|abbrev|abbrevboth|wrap|wrapWith|b32dec|decryptAES|urlParse)\b/;

export function differences(registryData: unknown): readonly Difference[] {
  return [
    {
      name: 'parse-error-column',
      why: 'parse errors name the line and the column of the offending token; Go names only a line',
      explains: (_t, go, sdm) => {
        const g = GO_PARSE.exec(go.err);
        const s = SDM_PARSE.exec(sdm.err);
        return g !== null && s !== null && g[1] === s[1];
      },
      probes: [
        { c: plain('{{ end }}'), sdm: (o) => /^template: t:1:\d+: unexpected \{\{end\}\}$/.test(o.err) },
        { c: plain('x\n{{ if }}'), sdm: (o) => /^template: t:2:\d+: missing value for if$/.test(o.err) },
      ],
    },
    {
      name: 'read-only-data',
      why: 'template data is a frozen copy: set/merge on it fail with "read-only" (in Go they would change the object being synced)',
      explains: (_t, _go, sdm) => sdm.err.includes('the map is read-only: template data cannot be changed'),
      probes: [
        {
          c: registry('{{ set .Object.Object "x" 1 }}', registryData),
          sdm: (o) =>
            o.err.endsWith('error calling set: the map is read-only: template data cannot be changed'),
        },
        {
          c: registry('{{ merge .Object.Object.data (dict "c" 1) }}', registryData),
          sdm: (o) => o.err.includes('read-only'),
        },
      ],
    },
    {
      name: 'object-fields',
      why: ".Object also exposes the object's top-level fields (.Object.metadata.name, .Object.spec); Go's *unstructured.Unstructured only has .Object.Object",
      explains: (t, go, sdm) =>
        /\.Object\.(?!Object\b|Get|UnstructuredContent)[a-z]/.test(t) &&
        go.err.includes("can't evaluate field") &&
        sdm.err === '',
      probes: [{ c: registry('{{ .Object.metadata.name }}', registryData), sdm: (o) => o.out === 'kafka' }],
    },
    {
      name: 'whole-objects',
      why: 'printing or encoding a whole .Object/.Cluster/.LocalCluster shows only the fields sdm models (Go shows every ObjectMeta field)',
      // The bare value is used: `.Cluster }}`, `(.Object)`, `.Cluster | toJson` (not `.Object.Object`).
      explains: (t) => /(^|[\s(])\.(Object|Cluster|LocalCluster)\s*(\}\}|\)|\|)/.test(t),
      probes: [
        {
          c: registry('{{ .Cluster }}', registryData),
          sdm: (o) => o.err === '' && o.out.includes('cluster2'),
        },
        {
          c: registry('{{ toJson .Cluster }}', registryData),
          sdm: (o) => o.out.includes('"Name":"cluster2"'),
        },
      ],
    },
    {
      name: 'invalid-utf8',
      why: 'strings are Unicode text: cutting a multi-byte character (trunc, substr, index, b64dec of binary) gives U+FFFD where Go keeps the raw bytes',
      explains: (t, go, sdm) =>
        BYTE_CUTTERS.test(t) &&
        (/[^ -~\n]|\.uni\b|b64dec|b32dec|decryptAES|%[89a-fA-F]|sha/.test(t) ||
          go.out.includes('\ufffd') ||
          sdm.out.includes('\ufffd')),
      probes: [
        { c: plain('{{ trunc 1 "é" | urlquery }}'), sdm: (o) => o.out === '%EF%BF%BD' },
        { c: plain('{{ abbrev 4 "ééé" | urlquery }}'), sdm: (o) => o.out === '%EF%BF%BD...' },
      ],
    },
    {
      name: 'byte-is-int',
      why: 'a byte (index into a string, an element of []byte) is an int, not a uint8 (shows in %T and error texts)',
      explains: (_t, go, sdm) =>
        (go.err !== '' && go.err.replaceAll('uint8', 'int') === sdm.err) ||
        // Go stops at a byte passed where an int is expected; sdm goes on (to another result or error).
        go.err.includes('expected int; got uint8') ||
        (go.out !== '' && go.out.replaceAll('uint8', 'int') === sdm.out),
      probes: [{ c: plain('{{ printf "%T" (index "abc" 0) }}'), sdm: (o) => o.out === 'int' }],
    },
    {
      name: 'named-string-as-interface',
      why: 'a types.UID (or v1alpha1.ClusterState) passed on as interface{} is a plain string to the function: %T, typeOf say string',
      explains: (_t, go, sdm) =>
        /types\.UID|v1alpha1\.Cluster(State|Type)/.test(go.out + go.err) &&
        (go.out + go.err).replace(/types\.UID|v1alpha1\.Cluster(State|Type)/g, 'string') ===
          sdm.out + sdm.err,
      probes: [
        {
          c: registry('{{ printf "%T" .Cluster.Spec.ClusterID }}', registryData),
          sdm: (o) => o.out === 'string',
        },
      ],
    },
    {
      name: 'yaml-error-text',
      why: "fromYaml's Error entry for invalid YAML comes from a different YAML parser: same key, other wording",
      explains: (_t, go, sdm) => {
        // On failure the Error entry is the only key of fromYaml's map: compare up to it.
        const norm = (s: string): string =>
          s.replace(/error (converting YAML to JSON|unmarshaling JSON): .*?(?=(\]|;|,)?(\n|$))/gi, 'error …');
        // The entry may be printed by a verb: "Error):%!!(string=error converting ...".
        return (
          // (or upper-cased by the template, as the range bodies do)
          /Error([:=]|\):%!.\(string=)error (converting|unmarshaling)|ERROR (CONVERTING|UNMARSHALING) /.test(
            go.out,
          ) && norm(go.out) === norm(sdm.out)
        );
      },
      probes: [
        {
          c: plain('{{ fromYaml "a: [1, 2" }}'),
          sdm: (o) => o.out.startsWith('map[Error:error converting YAML to JSON: yaml: '),
        },
      ],
    },
    {
      name: 'deep-values',
      why: 'printing past 200 levels of nesting, or encoding past 1000 (a cycle, say), fails with an error naming the limit; Go prints, or returns "" for a cycle, or dies of a stack overflow',
      explains: (_t, go, sdm) =>
        /nested too deeply|too deep to encode|nested more than/.test(sdm.err) ||
        go.err.startsWith(ORACLE_CRASH),
      probes: [
        {
          c: plain('{{ toJson (fromJson (printf "%s%s" (repeat 1100 "[") (repeat 1100 "]"))) }}'),
          sdm: (o) => o.err.includes('nested more than 1000 levels deep: too deep to encode'),
        },
      ],
    },
    {
      name: 'semver-struct-fields',
      why: 'a *semver.Version printed with a non-string verb shows no fields (its fields are private here)',
      explains: (t, go, sdm) => t.includes('semver') && /&\{\S/.test(go.out) && sdm.out.includes('&{}'),
      probes: [{ c: plain('{{ printf "%d" (semver "1.2.3") }}'), sdm: (o) => o.out === '&{}' }],
    },
    {
      name: 'pointer-go-syntax',
      why: '%#v of a struct pointer (a *semver.Version, a whole .Cluster) prints its %v form, not &pkg.Type{field:...}; struct values print Go syntax',
      // Inside a list Go's %#v shows the pointer itself: (*semver.Version)(0xc000123456).
      explains: (t, go) => t.includes('%#v') && /&\w+\.\w+\{|\(\*\w+\.\w+\)\(0x[0-9a-f]+\)/.test(go.out),
      probes: [{ c: plain('{{ printf "%#v" (semver "1.2.3") }}'), sdm: (o) => o.out === '1.2.3' }],
    },
    {
      name: 'yaml-line-folding',
      why: 'toYaml folds long quoted lines at other places (and indents continuations differently) than go-yaml; the YAML reads back the same',
      explains: (t, go, sdm) => {
        const unfold = (s: string): string => s.replace(/\n */g, ' ');
        return /toYaml/.test(t) && unfold(go.out + go.err) === unfold(sdm.out + sdm.err);
      },
      probes: [
        {
          c: plain('{{ toYaml (indent 1000 "a b") }}'),
          sdm: (o) => o.out.startsWith("'") && o.out.endsWith("a\nb'"),
        },
      ],
    },
    {
      name: 'slice-capacity',
      why: "sprig's slice (and mustSlice) past a list's length fails; Go may succeed up to the backing array's capacity (an accident of how the list was built) and show nils",
      explains: (t, go, sdm) =>
        /\b(slice|mustSlice)\b/.test(t) &&
        sdm.err.includes('slice index out of bounds') &&
        // Go either succeeds or fails at a later slice of the same template.
        go.err !== sdm.err,
      probes: [
        {
          c: { t: '{{ slice .l 0 4 }}', d: { l: ['a', 'b', 'c'] } },
          sdm: (o) => o.err.endsWith('error calling slice: reflect.Value.Slice: slice index out of bounds'),
        },
        {
          c: { t: '{{ mustSlice .l 0 4 }}', d: { l: ['a', 'b', 'c'] } },
          sdm: (o) =>
            o.err.endsWith('error calling mustSlice: reflect.Value.Slice: slice index out of bounds'),
        },
      ],
    },
    {
      name: 'refused-functions',
      why: 'functions that read the clock, randomness, the environment or the network are refused by design at parse time',
      explains: (_t, _go, sdm) => sdm.err.includes('is refused by design'),
      probes: [
        {
          c: plain('{{ now }}'),
          sdm: (o) => o.err.includes('function "now" is refused by design: it reads the clock'),
        },
        {
          c: plain('{{ randAlpha 3 }}'),
          sdm: (o) => o.err.includes('function "randAlpha" is refused by design: it is random'),
        },
        { c: plain('{{ env "HOME" }}'), sdm: (o) => o.err.includes("reads the controller's environment") },
      ],
    },
  ];
}
