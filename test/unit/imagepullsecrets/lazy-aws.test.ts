// The AWS SDK is loaded only when an ECR source is read: an operator that
// never sees one does not pay its memory and start-up time.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

const sources = new URL('../../../src/controllers/imagepullsecrets/sources.ts', import.meta.url).href;

// Runs in a fresh process: records every module URL that gets resolved.
const child = `
import { registerHooks } from 'node:module';
const loaded = new Set();
registerHooks({ resolve(spec, ctx, next) { const r = next(spec, ctx); loaded.add(r.url); return r; } });
const aws = () => [...loaded].filter((u) => u.includes('/@aws-sdk/')).length;
const { SourceReader } = await import(${JSON.stringify(sources)});
const reader = new SourceReader({ ecrEndpoint: 'http://127.0.0.1:1' });
const b64 = (s) => Buffer.from(s).toString('base64');
await reader.read('ns/d', { metadata: { name: 'd' }, type: 'kubernetes.io/dockerconfigjson',
  data: { '.dockerconfigjson': b64('{"auths":{}}') } });
const before = aws();
const ecr = await reader.read('ns/e', { metadata: { name: 'e' }, type: 'banzaicloud.io/aws-ecr-login-config',
  data: { accountID: b64('1'), region: b64('eu-west-1'), accessKeyID: b64('AK'), secretKey: b64('SK') } });
console.log(JSON.stringify({ before, after: aws(), error: ecr.error ?? '' }));
`;

describe('imagepullsecrets sources', () => {
  it('loads no @aws-sdk module until an ECR source is read', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', child], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}');
    assert.equal(out.before, 0, 'AWS SDK loaded for a dockerconfigjson source');
    assert.ok(out.after > 0, 'the ECR source loaded the AWS SDK');
    assert.match(out.error, /ECR GetAuthorizationToken failed/);
    assert.ok(!out.error.includes('SK'));
  });
});
