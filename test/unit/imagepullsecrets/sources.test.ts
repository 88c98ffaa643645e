import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SourceReader } from '../../../src/controllers/imagepullsecrets/sources.ts';
import type { Secret } from '../../../src/kube/index.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (type: string, data: Record<string, string>): Secret => ({
  metadata: { name: 's', namespace: 'ns' },
  type,
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
});

describe('SourceReader', () => {
  const reader = new SourceReader();

  it('copies the auths of a dockerconfigjson Secret through', async () => {
    const r = await reader.read(
      'ns/s',
      secret('kubernetes.io/dockerconfigjson', { '.dockerconfigjson': '{"auths":{"r.io":{"auth":"eA=="}}}' }),
    );
    assert.deepEqual(r, { key: 'ns/s', auths: { 'r.io': { auth: 'eA==' } } });
  });

  it('says what is wrong with a broken source, without echoing its content', async () => {
    const cases: [Secret | undefined, RegExp][] = [
      [undefined, /not found/],
      [secret('Opaque', { x: 'hunter2' }), /unsupported Secret type Opaque/],
      [secret('kubernetes.io/dockerconfigjson', { '.dockerconfigjson': 'hunter2' }), /not valid JSON/],
      [secret('kubernetes.io/dockerconfigjson', { '.dockerconfigjson': '{"x":"hunter2"}' }), /no "auths"/],
      [
        secret('banzaicloud.io/aws-ecr-login-config', { accountID: '1', secretKey: 'hunter2' }),
        /missing key\(s\) region, accessKeyID/,
      ],
      [
        secret('cisco.com/aws-ecr-login-config', { region: 'r' }),
        /missing key\(s\) accountID, accessKeyID, secretKey/,
      ],
    ];
    for (const [s, want] of cases) {
      const r = await reader.read('ns/s', s);
      assert.equal(r.auths, undefined);
      assert.match(r.error ?? '', want);
      assert.ok(!r.error?.includes('hunter2'));
    }
  });
});
