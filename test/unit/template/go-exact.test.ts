/**
 * Go-exact behaviour the issue named (issue 12), as regression rows: each expectation was printed
 * by the Go oracle (./go-oracle: Go 1.26 text/template + sprig v3.3 + Helm's YAML functions, with
 * the upstream registry's data types) for the same template and data, not by this engine. Runs
 * without Go; the differential test covers the rest against Go itself.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTemplate } from '../../../src/template/index.ts';
import { registryTemplateData } from './differential.ts';

type Expected = { out: string } | { err: string };

const ROWS: Array<[string, boolean, Expected]> = [
  [
    '{{ regexMatch "[a-z]{1,20}" "abc" }} {{ regexMatch "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$" "kafka" }}',
    false,
    { out: 'true true' },
  ],
  [
    '{{ regexFindAll "\\\\pL+" "héllo wörld 𝔘x" -1 }} {{ regexFind "\\\\p{Greek}+" "abc αβγ" }}',
    false,
    { out: '[héllo wörld 𝔘x] αβγ' },
  ],
  [
    '{{ regexReplaceAll "[[:^alpha:]]" "a1b2" "_" }} {{ regexFind "(?U)a+" "aaa" }} {{ regexFind "a(?i)B" "aB ab Ab" }} {{ regexFindAll "." "😀a" -1 }}',
    false,
    { out: 'a_b_ a aB [😀 a]' },
  ],
  [
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go's ${1} replacement syntax, not JavaScript's
    '{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}|{{ regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}" }}|{{ regexSplit "x*" "axbxxc" -1 }}',
    false,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: literal text Go printed
    { out: '-W-xxW-|-${1}-${1}-|[a b c]' },
  ],
  [
    '{{ regexFind "(" "x" }}',
    false,
    {
      err: 'template: t:1:3: executing "t" at <regexFind "(" "x">: error calling regexFind: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`',
    },
  ],
  [
    '{{ pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) }} {{ merge (dict "a" 1 "b" "") (dict "b" 2 "c" 3) }} {{ mergeOverwrite (dict "a" 1) (dict "a" 2) }}',
    false,
    { out: '[1 3] map[a:1 b:2 c:3] map[a:2]' },
  ],
  [
    '{{ until 3 }} {{ untilStep 0 10 3 }} {{ seq 5 }} {{ seq 10 -3 0 }} {{ float64 "1.5" }} {{ adler32sum "hello" }}',
    false,
    { out: '[0 1 2] [0 3 6 9] 1 2 3 4 5 10 7 4 1 1.5 103547413' },
  ],
  [
    '{{ semver "v1.2" }} {{ (semver "1.2.3-rc1").Prerelease }} {{ semverCompare "^1.2.0" "1.4.5" }} {{ semverCompare ">=1.2, <2" "2.0.0" }}',
    false,
    { out: '1.2.0 rc1 true false' },
  ],
  [
    '{{ keys (split "," "a,b") }}',
    false,
    {
      err: 'template: t:1:19: executing "t" at <"a,b">: wrong type for value; expected map[string]interface {}; got map[string]string',
    },
  ],
  [
    '{{ toJson -0.0 }}|{{ fromJson "1e400" }}|{{ toJson (fromJson "1e400") }}',
    false,
    { out: '-0|<no value>|null' },
  ],
  [
    '{{ indent -1 "x" }}',
    false,
    {
      err: 'template: t:1:3: executing "t" at <indent -1 "x">: error calling indent: strings: negative Repeat count',
    },
  ],
  ['{{ title "ǆa" }}|{{ lower "İ" }}|{{ upper "ᾀ" }}', false, { out: 'ǅa|i|ᾈ' }],
  ['{{ toYaml (list "\'x" "<<") }}', false, { out: "- '''x'\n- <<" }],
  [
    '{{ fromYaml "a: 1\\na: 2" }}|{{ fromYaml "a: 0o17" }}|{{ fromYaml "a: !!binary aGVsbG8=" }}',
    false,
    { out: 'map[a:2]|map[a:15]|map[a:hello]' },
  ],
  [
    '{{ printf "%#v" (dict "a" (list 1 "x")) }}',
    false,
    { out: 'map[string]interface {}{"a":[]interface {}{1, "x"}}' },
  ],
  [
    '{{ trunc 2 (add 1 2) }}',
    false,
    { err: 'template: t:1:18: executing "t" at <2>: wrong type for value; expected string; got int64' },
  ],
  [
    '{{ hasKey .Object.GetLabels "app" }}',
    true,
    {
      err: 'template: t:1:17: executing "t" at <.Object.GetLabels>: wrong type for value; expected map[string]interface {}; got map[string]string',
    },
  ],
  [
    '{{ index .Object.GetLabels "app" }} {{ .Cluster.Spec.ClusterID }} {{ printf "%s" (index .Cluster.Spec.KubernetesAPIEndpoints 0).CABundle }}',
    true,
    { out: 'kafka c-2 hello' },
  ],
  [
    '{{ upper .Cluster.Spec.ClusterID }}',
    true,
    {
      err: 'template: t:1:17: executing "t" at <.Cluster.Spec.ClusterID>: wrong type for value; expected string; got types.UID',
    },
  ],
  [
    '{{ (index .Cluster.Spec.KubernetesAPIEndpoints 0).CABundle }} {{ toJson .Cluster.Spec }}',
    true,
    {
      out: '[104 101 108 108 111] {"clusterID":"c-2","authInfo":{"secretRef":{"name":"cluster2-kubeconfig","namespace":"cluster-registry"}},"kubernetesApiEndpoints":[{"serverAddress":"https://cluster2:6443","caBundle":"aGVsbG8="}]}',
    },
  ],
  [
    '{{ printf "%s-%s-%s" .Object.GetName .Cluster.GetName (trunc 4 (sha256sum .Cluster.GetName))}}',
    true,
    { out: 'kafka-cluster2-615d' },
  ],
];

describe('Go-exact templates (expectations recorded from Go)', () => {
  for (const [template, registry, expected] of ROWS) {
    it(template, () => {
      const data = registry ? registryTemplateData() : null;
      if ('out' in expected) {
        assert.equal(renderTemplate(template, data, { name: 't' }), expected.out);
      } else {
        assert.throws(() => renderTemplate(template, data, { name: 't' }), { message: expected.err });
      }
    });
  }
});
