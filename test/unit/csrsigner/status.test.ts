import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csrStatusFor } from '../../../src/controllers/csrsigner/status.ts';

const now = new Date('2026-01-01T00:00:00.123Z');
const approved = { conditions: [{ type: 'Approved', status: 'True' }] };

describe('csrStatusFor', () => {
  it('a signed request gets the certificate (base64 PEM), conditions kept', () => {
    const s = csrStatusFor(approved, { action: 'sign', certificatePem: 'PEM' }, now);
    assert.deepEqual(s, { ...approved, certificate: Buffer.from('PEM').toString('base64') });
  });

  it('a refused request gets a Failed condition with reason, message and times to the second', () => {
    const s = csrStatusFor(approved, { action: 'fail', reason: 'BadKey', message: 'RSA 1024 < 2048' }, now);
    assert.deepEqual(s?.conditions?.at(-1), {
      type: 'Failed',
      status: 'True',
      reason: 'BadKey',
      message: 'RSA 1024 < 2048',
      lastUpdateTime: '2026-01-01T00:00:00Z',
      lastTransitionTime: '2026-01-01T00:00:00Z',
    });
    assert.equal(s?.conditions?.[0]?.type, 'Approved');
  });

  it('nothing to write when skipping, or when the request was already decided (never twice)', () => {
    assert.equal(csrStatusFor(approved, { action: 'skip', why: 'x' }, now), undefined);
    assert.equal(
      csrStatusFor({ ...approved, certificate: 'Q0VSVA==' }, { action: 'sign', certificatePem: 'P' }, now),
      undefined,
    );
    const failed = { conditions: [...approved.conditions, { type: 'Failed', status: 'True' }] };
    assert.equal(csrStatusFor(failed, { action: 'sign', certificatePem: 'P' }, now), undefined);
    const denied = { conditions: [{ type: 'Denied', status: 'True' }] };
    assert.equal(csrStatusFor(denied, { action: 'fail', reason: 'r', message: 'm' }, now), undefined);
  });
});
