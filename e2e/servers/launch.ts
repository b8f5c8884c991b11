// Starts real servers as child processes for interop suites, and makes sure they die.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVERS_DIR = dirname(fileURLToPath(import.meta.url));
/** The system interpreter: the python3 first on PATH may be a separate install without the apt modules. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

export interface Launched {
  readonly process: ChildProcess;
  readonly port: number;
  /** Everything the process wrote to stderr so far (for failure messages). */
  stderr(): string;
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Fails with a message naming what to install when `path` is missing (CI installs it). */
export function requireExecutable(path: string, installHint: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${installHint}`);
}

/** A TCP port free right now on 127.0.0.1, for servers that cannot listen on port 0. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface LaunchOptions {
  readonly cwd?: string;
  /** The port, when the command does not print "PORT <n>". */
  readonly port?: number;
  /** Resolve once this appears on stdout or stderr (default: a "PORT <n>" line), or the port accepts. */
  readonly ready?: RegExp;
  readonly timeoutMs?: number;
}

async function portAccepts(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Spawns `command` and waits until it listens. Rejects with its stderr if it exits or stalls. */
export async function launch(command: string, args: readonly string[], options: LaunchOptions = {}): Promise<Launched> {
  // stdin a pipe this process holds: it closes when this process ends, even killed by a signal
  // (which runs no 'exit' handler), so a server that watches it can end too.
  const child = spawn(command, args, { cwd: options.cwd ?? SERVERS_DIR, stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
  };
  const port = await new Promise<number>((resolve, reject) => {
    const timeout = setTimeout(() => {
      cleanup();
      reject(new Error(`${command} did not start within ${options.timeoutMs ?? 10_000} ms; stderr: ${stderr}`));
    }, options.timeoutMs ?? 10_000);
    let polling: NodeJS.Timeout | undefined;
    const cleanup = () => {
      clearTimeout(timeout);
      if (polling) clearInterval(polling);
      child.stdout?.off('data', onOutput);
      child.stderr?.off('data', onError);
      child.off('exit', onExit);
    };
    const check = () => {
      const printed = /PORT (\d+)/.exec(stdout);
      if (options.port === undefined && printed) {
        cleanup();
        resolve(Number(printed[1]));
      } else if (options.ready && options.port !== undefined && options.ready.test(stdout + stderr)) {
        cleanup();
        resolve(options.port);
      }
    };
    const onOutput = (chunk: Buffer) => {
      stdout += chunk;
      check();
    };
    const onError = (chunk: Buffer) => {
      stderr += chunk;
      check();
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${command} exited (${code}) before listening; stderr: ${stderr}`));
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onError);
    child.once('exit', onExit);
    child.once('error', (error) => {
      cleanup();
      reject(new Error(`${command} could not be started: ${error.message}`));
    });
    if (options.port !== undefined && options.ready === undefined) {
      const port = options.port;
      polling = setInterval(() => {
        portAccepts(port).then((accepts) => {
          if (accepts && polling) {
            cleanup();
            resolve(port);
          }
        });
      }, 50);
    }
  }).catch(async (error) => {
    await kill();
    throw error;
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  return { process: child, port, stderr: () => stderr, kill };
}

export function serverScript(name: string): string {
  return join(SERVERS_DIR, name);
}
