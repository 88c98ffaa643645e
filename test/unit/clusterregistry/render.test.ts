// Issue 13 item 7: a rule's template is parsed once, not once per object it renders for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { templateRenderer } from '../../../src/controllers/clusterregistry/render.ts';
import {
  TemplateCluster,
  type TemplateData,
  TemplateObject,
} from '../../../src/controllers/clusterregistry/template-data.ts';
import { parseTemplate, TemplateError } from '../../../src/template/index.ts';

import { cluster1, cluster2 } from './fixtures.ts';

const data = (name: string): TemplateData => ({
  Object: new TemplateObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }),
  Cluster: new TemplateCluster(cluster2),
  LocalCluster: new TemplateCluster(cluster1),
});

describe('templateRenderer', () => {
  it('parses each template text once, however many objects it renders', () => {
    const parsed: string[] = [];
    const render = templateRenderer({
      parse: (text) => {
        parsed.push(text);
        return parseTemplate(text);
      },
    });
    const big = `{{ .Object.GetName }}${'x'.repeat(200_000)}`;
    for (let i = 0; i < 20; i++) {
      assert.ok(render(big, data(`o${i}`)).startsWith(`o${i}x`));
      assert.equal(render('{{ .Object.GetName }}-copy', data(`o${i}`)), `o${i}-copy`);
    }
    assert.equal(parsed.length, 2);
    assert.equal(render.cacheSize, 2);
  });

  it('remembers a parse error too, and still throws it every time', () => {
    let parses = 0;
    const render = templateRenderer({
      parse: (text) => {
        parses++;
        return parseTemplate(text);
      },
    });
    for (let i = 0; i < 3; i++) assert.throws(() => render('{{ .Object.GetName ', data('a')), TemplateError);
    assert.equal(parses, 1);
  });

  it('keeps at most maxEntries texts, dropping the least recently used', () => {
    const parsed: string[] = [];
    const render = templateRenderer({
      maxEntries: 2,
      parse: (text) => {
        parsed.push(text);
        return parseTemplate(text);
      },
    });
    render('a{{ .Object.GetName }}', data('1'));
    render('b{{ .Object.GetName }}', data('1'));
    render('a{{ .Object.GetName }}', data('1')); // a is now the most recent
    render('c{{ .Object.GetName }}', data('1')); // drops b
    render('a{{ .Object.GetName }}', data('1'));
    render('b{{ .Object.GetName }}', data('1'));
    assert.deepEqual(
      parsed.map((t) => t[0]),
      ['a', 'b', 'c', 'b'],
    );
    assert.equal(render.cacheSize, 2);
  });
});
