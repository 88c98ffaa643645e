// How long a local Kafka takes to serve, and how much memory a broker holds.
// The floor, measured in the same run, is one already-formatted KRaft node
// started by hand (the same JVM flags and config) until it answers a metadata
// request: no launcher can beat the JVM and Kafka's own start-up. The ratios
// say what startKafka adds on top (formatting, readiness, and for three
// brokers the quorum and two more JVMs on the same cores).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Admin } from '@platformatic/kafka';
import { kafkaToolsDir, startKafka } from '../../src/devcluster/index.ts';
import { findJava } from '../../src/devcluster/kafka.ts';
import { javaArgs, kafkaLayout, newClusterId, serverProperties } from '../../src/devcluster/kafka-config.ts';
import { freePorts } from '../../src/devcluster/ports.ts';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const java = findJava();
const libs = join(kafkaToolsDir(), 'libs');
const archive = existsSync(join(kafkaToolsDir(), 'kafka.jsa')) ? join(kafkaToolsDir(), 'kafka.jsa') : null;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function answers(address: string): Promise<boolean> {
  const admin = new Admin({ clientId: 'bench', bootstrapBrokers: [address], retries: 0, timeout: 2000 });
  try {
    return (await admin.metadata({ topics: [] })).brokers.size > 0;
  } catch {
    return false;
  } finally {
    await admin.close().catch(() => undefined);
  }
}

/** One formatted node, started by hand; ms from spawn until it answers. */
async function floorOnce(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'sdm-kafka-floor-'));
  try {
    const [node] = kafkaLayout(dir, 1, await freePorts(2));
    mkdirSync(node!.dataDir, { recursive: true });
    writeFileSync(node!.configFile, serverProperties(node!, [node!]));
    execFileSync(
      java,
      javaArgs('kafka.tools.StorageTool', libs, archive, [
        'format',
        '-t',
        newClusterId(),
        '-c',
        node!.configFile,
      ]),
      { stdio: 'ignore' },
    );
    const started = performance.now();
    const child = spawn(java, javaArgs('kafka.Kafka', libs, archive, [node!.configFile]), {
      stdio: 'ignore',
    });
    try {
      while (!(await answers(`127.0.0.1:${node!.ports.broker}`))) await sleep(50);
      return performance.now() - started;
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startOnce(brokers: number, memory: string[]): Promise<number> {
  const started = performance.now();
  const kafka = await startKafka({ brokers });
  const took = performance.now() - started;
  if (memory.length === 0) {
    await sleep(5000); // let the brokers settle (internal topics, caches) before reading memory
    const per = kafka.state.brokers.map((b) => rssMiB(b.pid));
    const total = per.reduce((a, b) => a + b, 0);
    memory.push(
      `resident memory, ${brokers} idle broker(s): ${total.toFixed(0)} MiB (${per.map((m) => m.toFixed(0)).join(', ')} per broker)`,
    );
  }
  await kafka.stop();
  return took;
}

const floor: number[] = [];
const one: number[] = [];
const three: number[] = [];
const mem1: string[] = [];
const mem3: string[] = [];
for (let i = 0; i < runs; i++) {
  floor.push(await floorOnce());
  one.push(await startOnce(1, mem1));
  three.push(await startOnce(3, mem3));
}
const f = median(floor);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`class-data archive: ${archive ? 'yes' : 'no (run make tools)'}`);
console.log(`floor, one formatted broker started by hand until it answers (median of ${runs}): ${s(f)}`);
console.log(
  `startKafka 1 broker to ready (median of ${runs}): ${s(median(one))}, ratio ${(median(one) / f).toFixed(2)}`,
);
console.log(
  `startKafka 3 brokers to ready (median of ${runs}): ${s(median(three))}, ratio ${(median(three) / f).toFixed(2)}`,
);
console.log(mem1[0]);
console.log(mem3[0]);
