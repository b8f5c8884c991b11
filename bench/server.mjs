// The benchmark's server: a minimal RFC 6455 server on node:net, fast enough that the clients
// under test are the bottleneck. Paths: /source?size=S&count=N[&text=1] (sends N binary, or
// text, messages of S bytes), /sink?count=N (counts messages, then sends "done"), /echo, /idle.
// Prints "PORT <n>" once listening.
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function header(opcode, length) {
  if (length < 126) return Buffer.from([0x80 | opcode, length]);
  if (length < 0x10000) {
    const out = Buffer.alloc(4);
    out[0] = 0x80 | opcode;
    out[1] = 126;
    out.writeUInt16BE(length, 2);
    return out;
  }
  const out = Buffer.alloc(10);
  out[0] = 0x80 | opcode;
  out[1] = 127;
  out.writeBigUInt64BE(BigInt(length), 2);
  return out;
}

function frame(opcode, payload) {
  return Buffer.concat([header(opcode, payload.length), payload]);
}

/**
 * Parses masked client frames; calls onFrame(opcode, fin, payload) with the payload unmasked —
 * data payloads only when `unmaskData` (the sink only counts them: unmasking a gigabyte byte by
 * byte here made the server, not the client under test, the bottleneck of the send rows).
 */
function frameReader(onFrame, unmaskData) {
  let buffered = [];
  let bufferedBytes = 0;
  return (chunk) => {
    buffered.push(chunk);
    bufferedBytes += chunk.length;
    let data = buffered.length === 1 ? buffered[0] : Buffer.concat(buffered, bufferedBytes);
    let offset = 0;
    while (data.length - offset >= 2) {
      const first = data[offset];
      let length = data[offset + 1] & 0x7f;
      let at = offset + 2;
      if (length === 126) {
        if (data.length - at < 2) break;
        length = data.readUInt16BE(at);
        at += 2;
      } else if (length === 127) {
        if (data.length - at < 8) break;
        length = Number(data.readBigUInt64BE(at));
        at += 8;
      }
      if (data.length - at < 4 + length) break;
      const key = data.subarray(at, at + 4);
      at += 4;
      const payload = data.subarray(at, at + length);
      if (unmaskData || (first & 0x08) !== 0) for (let i = 0; i < length; i++) payload[i] ^= key[i & 3];
      onFrame(first & 0x0f, (first & 0x80) !== 0, payload);
      offset = at + length;
    }
    data = data.subarray(offset);
    buffered = data.length > 0 ? [data] : [];
    bufferedBytes = data.length;
  };
}

function pumpMessages(socket, size, count, opcode) {
  const one = frame(opcode, Buffer.alloc(size, 0x61));
  const perChunk = Math.max(1, Math.floor((1024 * 1024) / one.length));
  const block = Buffer.concat(Array.from({ length: perChunk }, () => one));
  let remaining = count;
  const pump = () => {
    while (remaining > 0 && !socket.destroyed) {
      const n = Math.min(perChunk, remaining);
      remaining -= n;
      const ok = socket.write(n === perChunk ? block : block.subarray(0, n * one.length));
      if (!ok) {
        socket.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

const server = createServer({ noDelay: true }, (socket) => {
  socket.setNoDelay(true);
  socket.on('error', () => {});
  let head = Buffer.alloc(0);
  const onHead = (chunk) => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end === -1) return;
    socket.off('data', onHead);
    const text = head.subarray(0, end).toString('latin1');
    const rest = head.subarray(end + 4);
    const target = new URL(/^GET (\S+)/.exec(text)[1], 'http://x');
    const key = /sec-websocket-key:\s*(\S+)/i.exec(text)[1];
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );

    let messages = 0;
    const want = Number(target.searchParams.get('count') ?? 0);
    const read = frameReader((opcode, fin, payload) => {
      if (opcode === 8) {
        socket.end(frame(8, payload.subarray(0, 2)));
        return;
      }
      if (opcode === 9) {
        socket.write(frame(10, payload));
        return;
      }
      if (opcode === 10 || !fin) return;
      if (target.pathname === '/echo') socket.write(frame(opcode, payload));
      else if (target.pathname === '/sink' && ++messages === want) socket.write(frame(1, Buffer.from('done')));
    }, target.pathname !== '/sink');
    socket.on('data', read);
    if (rest.length > 0) read(rest);
    if (target.pathname === '/source') {
      const opcode = target.searchParams.get('text') === '1' ? 1 : 2;
      pumpMessages(socket, Number(target.searchParams.get('size')), want, opcode);
    }
  };
  socket.on('data', onHead);
});
server.listen(0, '127.0.0.1', () => console.log(`PORT ${server.address().port}`));
