// Starting and stopping the control plane's processes. Each one logs to its
// own file in the cluster's directory. A process started for a test is bound
// to the test's process with a parent-death signal (util-linux setpriv), so a
// crashed test run leaves no orphans; one started by `sdm dev-cluster up` is
// detached into its own session and lives until `down`.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessSpec {
  name: string;
  binary: string;
  args: string[];
  logFile: string;
}

export type Lifetime = 'owned' | 'detached';

export interface RunningProcess {
  pid: number;
  /** Resolves with a description when the process exits (owned processes only). */
  exited: Promise<string>;
  child: ChildProcess;
}

const setpriv = '/usr/bin/setpriv';

export function startProcess(spec: ProcessSpec, lifetime: Lifetime): RunningProcess {
  const log = openSync(spec.logFile, 'a');
  const bound = lifetime === 'owned' && existsSync(setpriv);
  const [command, args] = bound
    ? [setpriv, ['--pdeathsig', 'KILL', '--', spec.binary, ...spec.args]]
    : [spec.binary, spec.args];
  const child = spawn(command, args, {
    stdio: ['ignore', log, log],
    detached: lifetime === 'detached',
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.binary})`);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) =>
      resolve(signal ? `killed by ${signal}` : `exited with code ${code}`),
    );
    child.once('error', (err) => resolve(`failed to start: ${err.message}`));
  });
  if (lifetime === 'detached') child.unref();
  return { pid: child.pid, exited, child };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0); it is dead for our purposes.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

/** True when pid is still the process we started: its command line names our directory. */
export function isOurs(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after graceMs; resolves once the pid is gone. */
export async function stopPid(pid: number, graceMs = 10_000): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return;
    }
    while (isAlive(pid)) await sleep(20);
  }
}

export function logTail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
