import { constants, createDeflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  Opcode,
  type PermessageDeflateConfig,
  ProtocolEngine,
  type ProtocolEngineOptions,
  stripDeflateTrailer,
} from '@sturdysocket/core';
import { describe, expect, it } from 'vitest';
import { asServerFrames, decodeFrames, Recorder, serverFrame } from './deflate-harness.test-helper.js';
import { NodeDeflateCodec } from './node-deflate-codec.js';
import { ZlibJobLimiter } from './zlib-job-limiter.js';

const TRAILER = Buffer.from([0x00, 0x00, 0xff, 0xff]);

function config(overrides: Partial<PermessageDeflateConfig> = {}): PermessageDeflateConfig {
  return {
    clientNoContextTakeover: false,
    serverNoContextTakeover: false,
    clientMaxWindowBits: 15,
    serverMaxWindowBits: 15,
    thresholdBytes: 16,
    level: 6,
    ...overrides,
  };
}

function engine(codecConfig: PermessageDeflateConfig | undefined, options: ProtocolEngineOptions = {}) {
  const recorder = new Recorder();
  const codec = codecConfig && new NodeDeflateCodec(codecConfig);
  const instance = new ProtocolEngine(recorder, { ...options, ...(codec ? { codec } : {}) });
  return { recorder, engine: instance, codec };
}

/** Waits until every queued compression has reached write(). */
async function drained(target: ProtocolEngine): Promise<void> {
  for (let i = 0; i < 200 && target.bufferedBytes > 0; i++) await new Promise((r) => setTimeout(r, 5));
  expect(target.bufferedBytes).toBe(0);
}

/** A message compressed the way a server does it: sync flush, trailer removed (RFC 7692 §7.2.1). */
function serverDeflate(data: Uint8Array): Buffer {
  return Buffer.from(stripDeflateTrailer(deflateRawSync(data, { finishFlush: constants.Z_SYNC_FLUSH })));
}

const text = 'permessage-deflate makes repetitive text small. '.repeat(40);

describe('NodeDeflateCodec with the engine (RFC 7692 §6, §7.2)', () => {
  it('sends compressed messages any inflater reads once 00 00 FF FF is appended', async () => {
    const { recorder, engine: client } = engine(config());
    client.sendText(text);
    await drained(client);
    const [frame] = decodeFrames(recorder.takeWritten());
    expect(frame).toMatchObject({ opcode: Opcode.Text, rsv1: true, fin: true, masked: true });
    expect(frame!.payload.length).toBeLessThan(text.length / 10);
    expect(frame!.payload.subarray(-4).equals(TRAILER)).toBe(false);
    expect(
      inflateRawSync(Buffer.concat([frame!.payload, TRAILER]), { finishFlush: constants.Z_SYNC_FLUSH }).toString(),
    ).toBe(text);
  });

  it('sends messages below the threshold uncompressed', () => {
    const { recorder, engine: client } = engine(config({ thresholdBytes: 1024 }));
    client.sendText('small');
    const [frame] = decodeFrames(recorder.takeWritten());
    expect(frame).toMatchObject({ rsv1: false });
    expect(frame!.payload.toString()).toBe('small');
  });

  it('inflates a server message split over three frames, RSV1 on the first only', async () => {
    const compressed = serverDeflate(Buffer.from(text));
    const third = Math.ceil(compressed.length / 3);
    const { recorder, engine: client } = engine(config());
    client.receive(
      Buffer.concat([
        serverFrame(Opcode.Text, compressed.subarray(0, third), { fin: false, rsv1: true }),
        serverFrame(Opcode.Ping, Buffer.alloc(0)),
        serverFrame(Opcode.Continuation, compressed.subarray(third, 2 * third), { fin: false }),
        serverFrame(Opcode.Continuation, compressed.subarray(2 * third)),
        serverFrame(Opcode.Text, Buffer.from('after')),
      ]),
    );
    expect(await recorder.until(2)).toEqual([
      ['text', text],
      ['text', 'after'],
    ]);
  });

  it.each([
    ['with context takeover', config(), true],
    ['without context takeover', config({ clientNoContextTakeover: true, serverNoContextTakeover: true }), false],
  ])('round-trips messages %s', async (_, agreed, shrinks) => {
    const sender = engine(agreed);
    const receiver = engine(agreed);
    const binary = Buffer.alloc(50_000, 'binary data, binary data. ');
    sender.engine.sendText(text);
    sender.engine.sendText(text);
    sender.engine.sendBinary(binary, { fragmentBytes: 100 });
    sender.engine.sendText('tiny');
    await drained(sender.engine);
    const wire = sender.recorder.takeWritten();
    const frames = decodeFrames(wire);
    const firstMessages = frames.filter((f) => f.opcode === Opcode.Text);
    // With context takeover the repeat is mostly a back-reference into the previous message.
    if (shrinks) expect(firstMessages[1]!.payload.length).toBeLessThan(firstMessages[0]!.payload.length / 2);
    else expect(firstMessages[1]!.payload.equals(firstMessages[0]!.payload)).toBe(true);
    expect(frames.filter((f) => f.rsv1).length).toBe(3);
    // Feed the messages back in 7-byte chunks.
    const stream = asServerFrames(wire);
    for (let i = 0; i < stream.length; i += 7) receiver.engine.receive(stream.subarray(i, i + 7));
    const events = await receiver.recorder.until(4);
    expect(events[0]).toEqual(['text', text]);
    expect(events[1]).toEqual(['text', text]);
    expect(events[2]![0]).toBe('binary');
    expect((events[2]![1] as Buffer).equals(binary)).toBe(true);
    expect(events[3]).toEqual(['text', 'tiny']);
  });

  it('compresses what a Buffer held when sent, even if the caller reuses it at once', async () => {
    const sender = engine(config());
    const receiver = engine(config());
    const buffer = Buffer.alloc(4096, 'first contents ');
    const expected = Buffer.from(buffer);
    sender.engine.sendBinary(buffer);
    sender.engine.sendBinary(Buffer.from('tiny')); // queued behind the compression, uncompressed
    buffer.fill('overwritten');
    await drained(sender.engine);
    receiver.engine.receive(asServerFrames(sender.recorder.takeWritten()));
    const events = await receiver.recorder.until(2);
    expect((events[0]![1] as Buffer).equals(expected)).toBe(true);
    expect((events[1]![1] as Buffer).toString()).toBe('tiny');
  });

  it('fails RSV1 on a continuation frame with 1002', () => {
    const { recorder, engine: client } = engine(config());
    client.receive(serverFrame(Opcode.Text, Buffer.from('a'), { fin: false }));
    client.receive(serverFrame(Opcode.Continuation, Buffer.from('b'), { rsv1: true }));
    expect(recorder.events).toEqual([['error', 'reserved-bits', 1002]]);
  });

  it('fails RSV1 with 1002 when permessage-deflate was not negotiated', () => {
    const { recorder, engine: client } = engine(undefined);
    client.receive(serverFrame(Opcode.Text, serverDeflate(Buffer.from(text)), { rsv1: true }));
    expect(recorder.events).toEqual([['error', 'reserved-bits', 1002]]);
  });

  it('fails a corrupt compressed message with 1007', async () => {
    const { recorder, engine: client } = engine(config());
    client.receive(serverFrame(Opcode.Binary, Buffer.from([0xff, 0xff, 0xff, 0xff]), { rsv1: true }));
    expect(await recorder.until(1)).toEqual([['error', 'inflate-failed', 1007]]);
  });

  it('fails text that inflates to invalid UTF-8 with 1007', async () => {
    const { recorder, engine: client } = engine(config());
    client.receive(serverFrame(Opcode.Text, serverDeflate(Buffer.from([0x41, 0xc0, 0xaf])), { rsv1: true }));
    expect(await recorder.until(1)).toEqual([['error', 'invalid-utf8', 1007]]);
  });

  it('stops a decompression bomb at maxPayload with 1009, holding little memory', async () => {
    // 128 MiB of zeros deflate to ~130 KB; built in a stream so the test never holds the bomb.
    const deflate = createDeflateRaw({ level: 9 });
    const parts: Buffer[] = [];
    deflate.on('data', (chunk: Buffer) => parts.push(chunk));
    const zeros = Buffer.alloc(1 << 20);
    for (let i = 0; i < 128; i++) deflate.write(zeros);
    await new Promise<void>((resolve) => deflate.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    deflate.close();
    const bomb = stripDeflateTrailer(Buffer.concat(parts));
    expect(bomb.length).toBeLessThan(200_000);

    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 1);
    const { recorder, engine: client } = engine(config(), { maxPayload: 1 << 20 });
    client.receive(serverFrame(Opcode.Binary, bomb, { rsv1: true }));
    const events = await recorder.until(1);
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    expect(events).toEqual([['error', 'message-too-big', 1009]]);
    expect(decodeFrames(recorder.takeWritten()).at(-1)?.payload.readUInt16BE(0)).toBe(1009);
    // Inflating it all would take 128 MiB; stopping at the cap takes about 1 MiB.
    expect(rssPeak - rssBefore).toBeLessThan(32 * 1024 * 1024);
  });

  it('sends uncompressed when the server imposed an 8-bit window zlib cannot honour', () => {
    const { recorder, engine: client } = engine(config({ clientMaxWindowBits: 8 }));
    client.sendText(text);
    expect(decodeFrames(recorder.takeWritten())[0]).toMatchObject({ rsv1: false });
  });
});

describe('ZlibJobLimiter', () => {
  it('runs at most `concurrency` jobs at once, in order', async () => {
    const limiter = new ZlibJobLimiter(3);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const jobs = Array.from({ length: 20 }, (_, i) =>
      limiter.run(async () => {
        running++;
        peak = Math.max(peak, running);
        order.push(i);
        await new Promise((r) => setTimeout(r, 2));
        running--;
        return i;
      }),
    );
    expect(limiter.waiting).toBe(17);
    expect(await Promise.all(jobs)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(3);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(limiter.running).toBe(0);
  });

  it('frees the slot of a job that throws or rejects', async () => {
    const limiter = new ZlibJobLimiter(1);
    await expect(
      limiter.run(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    await expect(limiter.run(() => Promise.reject(new Error('async')))).rejects.toThrow('async');
    expect(await limiter.run(async () => 'ok')).toBe('ok');
  });

  it('gets its slots back when a codec is disposed mid-job', async () => {
    const limiter = new ZlibJobLimiter(1);
    const codec = new NodeDeflateCodec(config(), limiter);
    // Half a message: the inflater waits for more input, and so would the slot without dispose.
    const pending = codec.decompress(serverDeflate(Buffer.from(text)).subarray(0, 10), false, 1 << 20);
    const queued = codec.compress(Buffer.from(text), true);
    codec.dispose();
    await Promise.allSettled([pending, queued]);
    expect(limiter.running).toBe(0);
    expect(limiter.waiting).toBe(0);
    expect(await limiter.run(async () => 'free')).toBe('free');
  });
});
