// Starts one of the e2e/shared/ servers under Node (the servers are `ws`, a peer we did not
// write) and reads the ports it prints as one JSON line.

/** A running server: the ports it printed, and how to stop it. */
export type ServerProcess<Ports> = Ports & { stop(): void };

/** Runs `e2e/shared/<script>` under Node; resolves with the JSON object it prints first. */
export async function startNodeServer<Ports extends object>(script: string): Promise<ServerProcess<Ports>> {
  const child = new Deno.Command('node', {
    args: [new URL(`../shared/${script}`, import.meta.url).pathname, '--exit-with-stdin'],
    stdin: 'piped',
    stdout: 'piped',
    stderr: 'inherit',
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  while (!buffered.includes('\n')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${script} exited before printing its ports`);
    buffered += value;
  }
  reader.releaseLock();
  child.unref();
  const ports = JSON.parse(buffered.slice(0, buffered.indexOf('\n'))) as Ports;
  return {
    ...ports,
    stop() {
      try {
        child.kill('SIGTERM');
      } catch {
        // Already gone.
      }
    },
  };
}

/** The behaviour server: its port, and a port where nothing listens. */
export function startServerProcess(): Promise<ServerProcess<{ port: number; refusedPort: number }>> {
  return startNodeServer('behaviour-server.mjs');
}
