// Why a local broker stopped, read from its log.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brokerStartMarker, lastRunErrors } from '../../../src/devcluster/kafka-log.ts';

describe('lastRunErrors', () => {
  const log = [
    `${brokerStartMarker(0)} at 2026-01-01T00:00:00Z`,
    '2026-01-01T00:00:01.000 [main] ERROR kafka.Old - from the previous run',
    `${brokerStartMarker(0)} at 2026-01-01T00:01:00Z`,
    '2026-01-01T00:01:01.000 [main] INFO kafka.Kafka$ - starting',
    '2026-01-01T00:01:02.000 [main] ERROR kafka.server.BrokerServer - Fatal error during broker startup.',
    '2026-01-01T00:01:02.100 [main] ERROR kafka.server.BrokerServer - Fatal error during broker startup.',
    '\tat kafka.server.BrokerServer.startup(BrokerServer.scala:1)',
    '2026-01-01T00:01:03.000 [kafka-shutdown-hook] INFO kafka.server.BrokerServer - shut down completed',
  ].join('\n');

  it('keeps the ERROR lines of the last run only, once each, without timestamp and thread', () => {
    assert.deepEqual(lastRunErrors(log), [
      'ERROR kafka.server.BrokerServer - Fatal error during broker startup.',
    ]);
  });

  it('finds nothing in a log without errors, and caps the count', () => {
    assert.deepEqual(lastRunErrors('2026 [main] INFO x - fine\n'), []);
    const many = Array.from({ length: 9 }, (_, i) => `t [m] ERROR x - e${i}`).join('\n');
    assert.equal(lastRunErrors(many).length, 5);
  });
});
