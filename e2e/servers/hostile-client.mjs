// Connects to every hostile-server path given, one after another, in a process of its own, and
// prints one JSON line with what each connection reported. It never calls process.exit: the
// process must end by itself once every socket has closed, or something (a timer, a socket) leaked.
// Usage: node hostile-client.mjs <bundle.mjs> <base-url> <path>...
const [bundlePath, base, ...paths] = process.argv.slice(2);
const { WebSocket } = await import(bundlePath);

const results = [];
for (const path of paths) {
  const socket = new WebSocket(`${base}${path}`, {
    handshakeTimeoutMs: 1000,
    closeTimeoutMs: 500,
    maxPayload: 64 * 1024,
    maxResponseHeaderBytes: 8 * 1024,
  });
  const result = { path, events: [] };
  let closer;
  socket.onopen = () => {
    result.events.push('open');
    if (path === '/reset-after-open') socket.send('reset me');
    // Servers that keep the connection open are asked to close it.
    closer = setTimeout(() => socket.close(4000), 200);
  };
  socket.onmessage = () => {
    if (result.events.at(-1) !== 'message') result.events.push('message');
  };
  socket.onerror = (event) => {
    result.events.push('error');
    result.reason = event.error?.reason ?? event.error?.violation ?? event.error?.code;
  };
  await new Promise((resolve) => {
    socket.onclose = (event) => {
      clearTimeout(closer);
      result.events.push('close');
      result.code = event.code;
      resolve();
    };
  });
  results.push(result);
}
console.log(JSON.stringify(results));
