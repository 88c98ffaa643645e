import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { ClusterAccess } from '../../../src/kube/cluster-access.ts';
import { ApiError } from '../../../src/kube/errors.ts';
import { Transport } from '../../../src/kube/transport.ts';
import { logWarningsOnce, parseWarningHeaders, userWarnings } from '../../../src/kube/warnings.ts';

describe('parseWarningHeaders', () => {
  it('reads one warning as the API server sends it', () => {
    assert.deepEqual(parseWarningHeaders('299 - "unknown field \\"spec.foo\\""'), [
      { code: 299, agent: '-', text: 'unknown field "spec.foo"' },
    ]);
  });

  it('reads several header lines and several comma-joined warnings in one line', () => {
    const lines = [
      '299 - "a", 299 - "b"',
      '299 kube-apiserver "c" "Wed, 02 Dec 2026 03:00:00 GMT" , 199 agent "d"',
    ];
    assert.deepEqual(
      parseWarningHeaders(lines).map((w) => `${w.code} ${w.agent} ${w.text}`),
      ['299 - a', '299 - b', '299 kube-apiserver c', '199 agent d'],
    );
  });

  it('keeps commas and escaped quotes and backslashes inside the quoted text', () => {
    assert.deepEqual(userWarnings('299 - "x, y, \\"z\\" and \\\\ back", 299 - "second"'), [
      'x, y, "z" and \\ back',
      'second',
    ]);
  });

  it('ignores a malformed value but keeps what came before it and other header lines', () => {
    assert.deepEqual(
      userWarnings([
        '299 - "kept", 29 - "two-digit code"',
        '299 - "unterminated',
        '299 -',
        '299 - "ok" trailing-token',
        'garbage',
        '299 - "after"',
      ]),
      ['kept', 'after'],
    );
  });

  it('is empty for no header, an empty one, or a control character in the text', () => {
    assert.deepEqual(parseWarningHeaders(undefined), []);
    assert.deepEqual(parseWarningHeaders(['']), []);
    assert.deepEqual(parseWarningHeaders('299 - "bell\u0007"'), []);
  });

  it('userWarnings keeps only code 299 with text', () => {
    assert.deepEqual(userWarnings('199 - "misc", 299 - "", 299 - "real"'), ['real']);
  });
});

describe('Transport hands the warnings of a response to the request and to its handler', () => {
  it('several header lines, on a success and on a refusal', async () => {
    const server = createServer((req, res) => {
      // Two header lines, the second with two comma-joined warnings, as a proxy may join them.
      res.setHeader('Warning', ['299 - "unknown field \\"spec.x\\""', '299 - "a, b", 199 - "not for users"']);
      res.writeHead(req.method === 'PUT' ? 422 : 200, { 'Content-Type': 'application/json' });
      res.end(req.method === 'PUT' ? '{"kind":"Status","message":"no"}' : '{}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const access: ClusterAccess = {
      getCurrentCluster: () => ({ server: url }),
      async applyToHTTPSOptions() {},
    };
    const wide: string[] = [];
    const t = new Transport(access, { onWarning: (text, req) => wide.push(`${req.method} ${text}`) });
    try {
      const mine: string[] = [];
      await t.request({ method: 'PATCH', path: '/x', body: {}, onWarning: (w) => mine.push(w) });
      assert.deepEqual(mine, ['unknown field "spec.x"', 'a, b']);
      const refused: string[] = [];
      await assert.rejects(
        t.request({ method: 'PUT', path: '/x', body: {}, onWarning: (w) => refused.push(w) }),
        ApiError,
      );
      assert.deepEqual(refused, mine);
      // withWriteGate copies keep the transport-wide handler.
      await t.withWriteGate(() => {}).request({ method: 'GET', path: '/x' });
      assert.deepEqual(wide, [
        'PATCH unknown field "spec.x"',
        'PATCH a, b',
        'PUT unknown field "spec.x"',
        'PUT a, b',
        'GET unknown field "spec.x"',
        'GET a, b',
      ]);
    } finally {
      await t.close();
      server.close();
    }
  });
});

describe('logWarningsOnce', () => {
  it('logs each distinct warning once, with the request it came with', () => {
    const lines: { obj: Record<string, unknown>; msg: string }[] = [];
    const onWarning = logWarningsOnce(
      { warn: (obj, msg) => lines.push({ obj: obj as Record<string, unknown>, msg }) },
      2,
    );
    const req = { method: 'GET', path: '/apis/policy/v1beta1/podsecuritypolicies' };
    onWarning('policy/v1beta1 PodSecurityPolicy is deprecated', req);
    onWarning('policy/v1beta1 PodSecurityPolicy is deprecated', req);
    onWarning('another', { method: 'PATCH', path: '/x' });
    assert.deepEqual(
      lines.map((l) => [l.msg, l.obj.warning, l.obj.method]),
      [
        ['API server warning', 'policy/v1beta1 PodSecurityPolicy is deprecated', 'GET'],
        ['API server warning', 'another', 'PATCH'],
      ],
    );
    // Past the limit it forgets and starts again, so memory stays bounded.
    onWarning('third', req);
    onWarning('policy/v1beta1 PodSecurityPolicy is deprecated', req);
    assert.equal(lines.length, 4);
  });
});
