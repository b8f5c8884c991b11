// Starts e2e/shared/behaviour-server.mjs under Node (the server is `ws`, a peer we did not write)
// and reads the port it prints.

export interface ServerProcess {
  readonly port: number;
  readonly refusedPort: number;
  stop(): void;
}

export async function startServerProcess(): Promise<ServerProcess> {
  const script = new URL('../shared/behaviour-server.mjs', import.meta.url);
  const child = new Deno.Command('node', {
    args: [script.pathname, '--exit-with-stdin'],
    stdin: 'piped',
    stdout: 'piped',
    stderr: 'inherit',
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  while (!buffered.includes('\n')) {
    const { value, done } = await reader.read();
    if (done) throw new Error('The behaviour server exited before printing its port');
    buffered += value;
  }
  reader.releaseLock();
  const { port, refusedPort } = JSON.parse(buffered.slice(0, buffered.indexOf('\n'))) as {
    port: number;
    refusedPort: number;
  };
  child.unref();
  return {
    port,
    refusedPort,
    stop() {
      try {
        child.kill('SIGTERM');
      } catch {
        // Already gone.
      }
    },
  };
}
