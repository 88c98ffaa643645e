/**
 * The public API and the cluster registry's use of it: seed 001's override expression with data
 * objects that expose Go-style methods, plain field access, and parsed-template reuse.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { parseTemplate, renderTemplate, TemplateError } from '../../../src/template/index.ts';

/** A stand-in for the registry's Kubernetes object wrapper: methods on a class. */
class KubeObject {
  readonly metadata: { name: string; namespace: string; labels: Record<string, string> };
  readonly Spec: Record<string, unknown>;
  constructor(name: string, namespace: string, spec: Record<string, unknown> = {}) {
    this.metadata = { name, namespace, labels: { app: name } };
    this.Spec = spec;
  }
  GetName(): string {
    return this.metadata.name;
  }
  GetNamespace(): string {
    return this.metadata.namespace;
  }
  GetLabels(): Record<string, string> {
    return this.metadata.labels;
  }
}

const SEED_001 =
  '{{ printf "%s-%s-%s" .Object.GetName .Cluster.GetName (trunc 4 (sha256sum .Cluster.GetName))}}';

describe('seed 001 override expression', () => {
  const data = {
    Object: new KubeObject('kafka', 'streaming'),
    Cluster: new KubeObject('cluster2', 'sdm-system', { ClusterID: 'c-2' }),
    LocalCluster: new KubeObject('cluster1', 'sdm-system', { ClusterID: 'c-1' }),
  };

  it('renders name-cluster-hash', () => {
    const hash = createHash('sha256').update('cluster2').digest('hex').slice(0, 4);
    assert.equal(renderTemplate(SEED_001, data), `kafka-cluster2-${hash}`);
    // What Go printed for the same input.
    assert.equal(renderTemplate(SEED_001, data), 'kafka-cluster2-615d');
  });

  it('works with methods on plain objects too', () => {
    const plain = { Object: { GetName: () => 'kafka' }, Cluster: { GetName: () => 'cluster2' } };
    assert.equal(renderTemplate(SEED_001, plain), 'kafka-cluster2-615d');
  });

  it('reads plain fields and method results', () => {
    assert.equal(renderTemplate('{{ .Cluster.Spec.ClusterID }}', data), 'c-2');
    assert.equal(
      renderTemplate('{{ .Object.GetNamespace }}/{{ .LocalCluster.GetName }}', data),
      'streaming/cluster1',
    );
    assert.equal(
      renderTemplate('{{ .Object.GetLabels.app }}|{{ index .Object.GetLabels "app" }}', data),
      'kafka|kafka',
    );
    assert.equal(renderTemplate('{{ .Object.metadata.name | upper }}', data), 'KAFKA');
    assert.equal(renderTemplate('{{ .Cluster.Spec.Missing }}', data), '<no value>');
  });

  it('reports a missing field of a class instance like Go does for a struct', () => {
    assert.throws(() => renderTemplate('{{ .Object.Nope }}', data), {
      message:
        'template: template:1:10: executing "template" at <.Object.Nope>: can\'t evaluate field Nope in type interface {}',
    });
  });

  it('passes arguments to a method that is the last word of a command', () => {
    const d = { Obj: { Join: (a: string, b: string) => `${a}+${b}` } };
    assert.equal(renderTemplate('{{ .Obj.Join "x" "y" }}|{{ "b" | .Obj.Join "a" }}', d), 'x+y|a+b');
  });

  it('reports a throwing method as an error calling it', () => {
    const d = {
      Obj: {
        Boom: () => {
          throw new Error('kaput');
        },
      },
    };
    assert.throws(() => renderTemplate('{{ .Obj.Boom }}', d), {
      name: 'TemplateError',
      message: 'template: template:1:7: executing "template" at <.Obj.Boom>: error calling Boom: kaput',
    });
  });
});

describe('parseTemplate', () => {
  it('parses once, renders many times with different data', () => {
    const t = parseTemplate(
      '{{ define "greet" }}hello {{ . }}{{ end }}{{ template "greet" .name }}',
      'greeting',
    );
    assert.equal(t.name, 'greeting');
    assert.deepEqual([...t.templates].sort(), ['greet', 'greeting']);
    assert.equal(renderTemplate(t, { name: 'a' }), 'hello a');
    assert.equal(renderTemplate(t, { name: 'b' }), 'hello b');
  });

  it('names errors after the template', () => {
    const t = parseTemplate('{{ .a.b }}', 'values.yaml');
    assert.throws(
      () => renderTemplate(t, { a: null }),
      (e: unknown) => {
        assert.ok(e instanceof TemplateError);
        assert.match(e.message, /^template: values\.yaml:1:5: executing "values\.yaml" at <\.a\.b>/);
        return true;
      },
    );
  });

  it('renders nothing for an empty template, and <no value> for nil data', () => {
    assert.equal(renderTemplate('', {}), '');
    assert.equal(renderTemplate('{{ . }}', null), '<no value>');
    assert.equal(renderTemplate('{{ . }}', undefined), '<no value>');
  });

  it('accepts Maps as data', () => {
    const m = new Map<string, unknown>([
      ['b', 2],
      ['a', 1],
    ]);
    assert.equal(
      renderTemplate('{{ .a }}|{{ . }}|{{ range $k, $v := . }}{{ $k }}{{ $v }}{{ end }}', m),
      '1|map[a:1 b:2]|a1b2',
    );
  });

  it('prints toYaml like Helm (sorted keys, unindented sequences, YAML 1.1 quoting, no trailing newline)', () => {
    const data = { v: { b: ['x', 'y'], a: { n: 1, s: 'true', e: '' } } };
    assert.equal(
      renderTemplate('{{ toYaml .v }}', data),
      'a:\n  e: ""\n  "n": 1\n  s: "true"\nb:\n- x\n- "y"',
    );
    assert.equal(renderTemplate('{{ toYaml .v | nindent 2 }}', { v: { k: 'v' } }), '\n  k: v');
  });

  it('supports required', () => {
    assert.equal(renderTemplate('{{ required "need x" .x }}', { x: 'ok' }), 'ok');
    assert.throws(() => renderTemplate('{{ required "need x" .x }}', {}), {
      message:
        'template: template:1:3: executing "template" at <required "need x" .x>: error calling required: need x',
    });
  });
});
