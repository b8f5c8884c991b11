import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors/protocol-error.js';
import { ProtocolEngine, type ProtocolEngineOptions } from './engine.js';
import { hex, Recorder, serverFrame, toHex } from './harness.test-helper.js';
import type { MessageCodec } from './message-codec.js';
import { Opcode } from './opcode.js';

/**
 * A codec whose "compression" is a byte-wise NOT and whose promises settle only when the test
 * says so: the engine's ordering and pausing rules can be observed step by step. (The real
 * deflate codec and its interop are tested in @sturdysocket/node.)
 */
class SteppedCodec implements MessageCodec {
  readonly thresholdBytes = 8;
  readonly compressions: { data: Uint8Array; settle: (error?: unknown) => void }[] = [];
  readonly decompressions: { data: Uint8Array; fin: boolean; max: number; settle: (error?: unknown) => void }[] = [];
  disposed = 0;

  compress(data: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.compressions.push({
        data,
        settle: (error) => (error ? reject(error) : resolve(data.map((b) => ~b & 0xff))),
      });
    });
  }
  decompress(data: Uint8Array, fin: boolean, max: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.decompressions.push({
        data,
        fin,
        max,
        settle: (error) => (error ? reject(error) : resolve(data.map((b) => ~b & 0xff))),
      });
    });
  }
  dispose(): void {
    this.disposed++;
  }
}

const not = (bytes: Uint8Array) => bytes.map((b) => ~b & 0xff);
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(options: ProtocolEngineOptions = {}) {
  const codec = new SteppedCodec();
  const recorder = new Recorder();
  const engine = new ProtocolEngine(recorder, { codec, ...options });
  return { codec, recorder, engine };
}

describe('ProtocolEngine with a per-message codec (RFC 7692 §6)', () => {
  it('inflates an RSV1 message, pausing everything behind it until it is delivered', async () => {
    const { codec, recorder, engine } = setup();
    engine.receive(
      new Uint8Array([
        ...serverFrame(Opcode.Text, not(new TextEncoder().encode('zipped')), { rsv1: true }),
        ...serverFrame(Opcode.Text, 'plain'),
        ...serverFrame(Opcode.Ping, 'p'),
      ]),
    );
    expect(recorder.events).toEqual([['paused', true]]);
    expect(recorder.writes).toEqual([]); // the ping waits behind the message too
    expect(codec.decompressions[0]).toMatchObject({ fin: true, max: 104_857_600 });
    codec.decompressions[0]!.settle();
    await tick();
    expect(recorder.events).toEqual([
      ['paused', true],
      ['text', 'zipped'],
      ['text', 'plain'],
      ['ping', '70'],
      ['paused', false],
    ]);
    expect(recorder.sentFrames().map((f) => f.opcode)).toEqual([Opcode.Pong]);
  });

  it('inflates a fragmented compressed message frame by frame, lowering the output cap', async () => {
    const { codec, recorder, engine } = setup({ maxPayload: 100 });
    engine.receive(serverFrame(Opcode.Binary, not(hex('0102')), { rsv1: true, fin: false }));
    engine.receive(serverFrame(Opcode.Continuation, not(hex('0304'))));
    expect(codec.decompressions).toHaveLength(1);
    codec.decompressions[0]!.settle();
    await tick();
    expect(codec.decompressions[1]).toMatchObject({ fin: true, max: 98 });
    codec.decompressions[1]!.settle();
    await tick();
    expect(recorder.events.filter((e) => e[0] === 'binary')).toEqual([['binary', '01020304']]);
  });

  it('fails RSV1 on a continuation frame with 1002 (RFC 7692 §6.1)', () => {
    const { recorder, engine } = setup();
    engine.receive(serverFrame(Opcode.Binary, hex('00'), { fin: false }));
    engine.receive(serverFrame(Opcode.Continuation, hex('00'), { rsv1: true }));
    expect(recorder.events).toEqual([['error', 'reserved-bits', 1002]]);
  });

  it('fails RSV1 on a control frame with 1002', () => {
    const { recorder, engine } = setup();
    engine.receive(serverFrame(Opcode.Ping, hex(''), { rsv1: true }));
    expect(recorder.events).toEqual([['error', 'reserved-bits', 1002]]);
  });

  it('fails with the codec’s 1009 when the inflated message would exceed maxPayload', async () => {
    const { codec, recorder, engine } = setup();
    engine.receive(serverFrame(Opcode.Binary, hex('00'), { rsv1: true }));
    codec.decompressions[0]!.settle(
      new ProtocolError('message-too-big', 'inflates beyond maxPayload', { closeCode: 1009 }),
    );
    await tick();
    expect(recorder.events).toEqual([
      ['paused', true],
      ['error', 'message-too-big', 1009],
    ]);
    expect(toHex(recorder.sentFrames().at(-1)!.payload)).toBe('03f1');
    expect(codec.disposed).toBe(1);
  });

  it('fails a corrupt compressed message with 1007 (inflate-failed)', async () => {
    const { codec, recorder, engine } = setup();
    engine.receive(serverFrame(Opcode.Binary, hex('00'), { rsv1: true }));
    codec.decompressions[0]!.settle(new Error('invalid stored block lengths'));
    await tick();
    expect(recorder.errors[0]).toMatchObject({ violation: 'inflate-failed', closeCode: 1007 });
    expect((recorder.errors[0]!.cause as Error).message).toBe('invalid stored block lengths');
  });

  it('fails with 1009 when too much input piles up during a decompression', () => {
    const { recorder, engine } = setup({ maxPausedInputBytes: 1000 });
    engine.receive(serverFrame(Opcode.Binary, hex('00'), { rsv1: true }));
    engine.receive(new Uint8Array(600));
    expect(recorder.errors).toHaveLength(0);
    engine.receive(new Uint8Array(600));
    expect(recorder.errors[0]).toMatchObject({ violation: 'buffer-limit', closeCode: 1009 });
  });

  it('sends below-threshold messages uncompressed and at once', () => {
    const { codec, recorder, engine } = setup();
    engine.sendText('short');
    engine.sendBinary(new Uint8Array(100), { compress: false });
    expect(codec.compressions).toHaveLength(0);
    expect(recorder.sentFrames().map((f) => [f.opcode, f.rsv1])).toEqual([
      [Opcode.Text, false],
      [Opcode.Binary, false],
    ]);
  });

  // Regression: the queue was an array drained with shift(), which copies every remaining entry
  // once the array is large (about 16,000 entries in V8): a burst of sends took seconds to drain.
  it('drains tens of thousands of messages queued behind compressions, in send order', async () => {
    const { codec, recorder, engine } = setup();
    const count = 40_000;
    for (let i = 0; i < count; i++) {
      const message = new Uint8Array(8);
      new DataView(message.buffer).setUint32(0, i);
      engine.sendBinary(message, i % 2 === 0 ? undefined : { compress: false });
    }
    expect(engine.bufferedBytes).toBe(count * 8);
    // One compression at a time: settle each as it starts.
    for (let settled = 0; settled < count / 2; settled++) {
      codec.compressions[settled]!.settle();
      await Promise.resolve();
      await Promise.resolve();
    }
    await tick();
    const frames = recorder.sentFrames();
    expect(frames).toHaveLength(count);
    const order = frames.map((frame) => {
      const payload = frame.rsv1 ? not(frame.payload) : frame.payload;
      return new DataView(payload.buffer, payload.byteOffset).getUint32(0);
    });
    expect(order.every((value, i) => value === i)).toBe(true);
    expect(engine.bufferedBytes).toBe(0);
  });

  it('keeps data in send order behind a compression; control frames go ahead; close waits', async () => {
    const { codec, recorder, engine } = setup();
    const big = new Uint8Array(64).fill(1);
    expect(engine.sendBinary(big)).toBe(64);
    expect(engine.sendText('tiny')).toBe(4);
    expect(engine.bufferedBytes).toBe(68);
    big.fill(9); // the caller reuses its buffer: the queued message must not change
    engine.ping('p');
    engine.close(1000);
    expect(engine.state).toBe('closing');
    expect(recorder.sentFrames().map((f) => f.opcode)).toEqual([Opcode.Ping]);
    codec.compressions[0]!.settle();
    await tick();
    const frames = recorder.sentFrames();
    expect(frames.map((f) => [f.opcode, f.rsv1])).toEqual([
      [Opcode.Ping, false],
      [Opcode.Binary, true],
      [Opcode.Text, false],
      [Opcode.Close, false],
    ]);
    expect(toHex(frames[1]!.payload)).toBe('fe'.repeat(64));
    expect(engine.bufferedBytes).toBe(0);
  });

  it('compresses one message at a time, in order, and fragments the compressed bytes', async () => {
    const { codec, recorder, engine } = setup();
    engine.sendBinary(new Uint8Array(10).fill(1), { fragmentBytes: 4 });
    engine.sendBinary(new Uint8Array(10).fill(2));
    expect(codec.compressions).toHaveLength(1);
    codec.compressions[0]!.settle();
    await tick();
    expect(codec.compressions).toHaveLength(2);
    codec.compressions[1]!.settle();
    await tick();
    expect(recorder.sentFrames().map((f) => [f.opcode, f.fin, f.rsv1, f.payload.length])).toEqual([
      [Opcode.Binary, false, true, 4],
      [Opcode.Continuation, false, false, 4],
      [Opcode.Continuation, true, false, 2],
      [Opcode.Binary, true, true, 10],
    ]);
  });

  it('answers a peer close at once, dropping what still waits for compression', async () => {
    const { codec, recorder, engine } = setup();
    engine.sendBinary(new Uint8Array(64));
    engine.receive(hex('8802 03e9'));
    expect(recorder.sentFrames().map((f) => [f.opcode, toHex(f.payload)])).toEqual([[Opcode.Close, '03e9']]);
    expect(engine.bufferedBytes).toBe(0);
    codec.compressions[0]!.settle();
    await tick();
    expect(recorder.sentFrames()).toHaveLength(1);
    expect(codec.disposed).toBe(1);
  });

  it('fails the connection with 1011 when compression fails', async () => {
    const { codec, recorder, engine } = setup();
    engine.sendBinary(new Uint8Array(64));
    codec.compressions[0]!.settle(new Error('zlib broke'));
    await tick();
    expect(recorder.errors[0]).toMatchObject({ violation: 'deflate-failed', closeCode: 1011 });
    expect(engine.state).toBe('closed');
  });
});
