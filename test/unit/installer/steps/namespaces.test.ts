import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { namespaceNeedsWrite } from '../../../../src/installer/steps/namespaces.ts';

describe('namespaces of a component', () => {
  it('writes only a missing namespace or a missing label, never to remove labels others set', () => {
    assert.equal(namespaceNeedsWrite(undefined), true);
    assert.equal(namespaceNeedsWrite({ metadata: { labels: { a: '1' } } }), false);
    assert.equal(namespaceNeedsWrite({ metadata: { labels: { a: '1', b: '2' } } }, { a: '1' }), false);
    assert.equal(namespaceNeedsWrite({ metadata: {} }, { a: '1' }), true);
    assert.equal(namespaceNeedsWrite({ metadata: { labels: { a: '2' } } }, { a: '1' }), true);
  });
});
