import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors/protocol-error.js';
import { ProtocolEngine, type ProtocolEngineOptions } from './engine.js';
import { FrameWriter } from './frame-writer.js';
import {
  concatBytes,
  decodeClientFrames,
  hex,
  Recorder,
  sameBytes,
  serverFrame,
  splitAt,
  toHex,
} from './harness.test-helper.js';
import { Opcode } from './opcode.js';
import { DEFAULT_PROTOCOL_LIMITS } from './types.js';

function setup(options: ProtocolEngineOptions = {}) {
  const recorder = new Recorder();
  const engine = new ProtocolEngine(recorder, options);
  return { recorder, engine };
}

/** Feeds hex fixtures (one chunk each) and returns the recorded events. */
function feed(fixtures: readonly string[], options: ProtocolEngineOptions = {}) {
  const { recorder, engine } = setup(options);
  for (const fixture of fixtures) engine.receive(hex(fixture));
  return { recorder, engine, events: recorder.events };
}

/** Asserts the engine failed the connection once, with this violation and close code sent. */
function expectFailure(
  fixtures: readonly string[],
  violation: string,
  closeCode: number,
  options?: ProtocolEngineOptions,
) {
  const { recorder, engine, events } = feed(fixtures, options);
  expect(events.filter((event) => event[0] === 'error')).toEqual([['error', violation, closeCode]]);
  expect(recorder.errors[0]).toBeInstanceOf(ProtocolError);
  const sent = recorder.sentFrames();
  const close = sent.at(-1);
  expect(close?.opcode).toBe(Opcode.Close);
  expect(toHex(close!.payload)).toBe(closeCode.toString(16).padStart(4, '0'));
  expect(engine.state).toBe('closed');
  // Everything after the failure is ignored.
  engine.receive(hex('810548656c6c6f'));
  expect(recorder.events.at(-1)?.[0]).toBe('error');
  return { recorder, engine };
}

describe('ProtocolEngine: receiving data (RFC 6455 §5.2, §5.4, §5.6)', () => {
  it('delivers the unmasked text frame "Hello" of §5.7', () => {
    expect(feed(['810548656c6c6f']).events).toEqual([['text', 'Hello']]);
  });

  it('delivers the fragmented "Hello" of §5.7', () => {
    expect(feed(['010348656c', '80026c6f']).events).toEqual([['text', 'Hello']]);
  });

  it('assembles fragmented messages between whole ones, and still checks whole text after them', () => {
    // Whole text, fragmented text, whole binary, fragmented binary, whole text, then a whole
    // text that is not UTF-8: the fragment state is made on the first fragment and left clean.
    const { events } = feed(['810141', '010142', '800143', '820101', '020102', '800103', '810144', '8102c0af']);
    expect(events.slice(0, -1)).toEqual([
      ['text', 'A'],
      ['text', 'BC'],
      ['binary', '01'],
      ['binary', '0203'],
      ['text', 'D'],
    ]);
    expect(events.at(-1)).toEqual(['error', 'invalid-utf8', 1007]);
  });

  it('delivers a binary payload as a view of the incoming chunk (no copy)', () => {
    const chunk = hex('8203 010203 8201 04');
    const { recorder, engine } = setup();
    engine.receive(chunk);
    expect(recorder.events).toEqual([
      ['binary', '010203'],
      ['binary', '04'],
    ]);
    expect(recorder.binaries[0]?.buffer).toBe(chunk.buffer);
    expect(recorder.binaries[0]?.byteOffset).toBe(chunk.byteOffset + 2);
  });

  it('copies a split payload once into an exactly-sized buffer', () => {
    const { recorder, engine } = setup();
    engine.receive(hex('8204 0102'));
    engine.receive(hex('0304'));
    expect(recorder.binaries[0]?.length).toBe(4);
    expect(recorder.binaries[0]?.buffer.byteLength).toBe(4);
  });

  it.each([0, 125, 126, 65535, 65536, 1 << 20])('accepts a %i-byte payload with the minimal length form', (length) => {
    const payload = new Uint8Array(length).map((_, i) => i & 0xff);
    const { recorder, engine } = setup();
    engine.receive(serverFrame(Opcode.Binary, payload));
    expect(recorder.binaries).toHaveLength(1);
    expect(sameBytes(recorder.binaries[0], payload)).toBe(true);
  });

  it('reads the 64-bit length 2^32 + 1 (before it exceeds maxPayload)', () => {
    expectFailure(['827f 0000000100000001'], 'message-too-big', 1009);
  });

  it('handles fragments with a ping between them, answering the ping with the same payload', () => {
    const { recorder, events } = feed(['01024865', '8903 706e67', '00016c', '8002 6c6f']);
    expect(events).toEqual([
      ['ping', '706e67'],
      ['text', 'Hello'],
    ]);
    const [pong] = recorder.sentFrames();
    expect(pong).toMatchObject({ opcode: Opcode.Pong, fin: true, masked: true });
    expect(toHex(pong!.payload)).toBe('706e67');
  });

  it('passes an unsolicited pong to onPong without answering', () => {
    const { recorder, events } = feed(['8a 02 6869']);
    expect(events).toEqual([['pong', '6869']]);
    expect(recorder.writes).toEqual([]);
  });

  it('parses a stream split into 1-byte chunks', () => {
    const stream = hex('01024865 8900 00016c 8002 6c6f 8203 010203 8a00 8802 03e8');
    const { recorder, engine } = setup();
    for (const chunk of splitAt(
      stream,
      Array.from({ length: stream.length }, (_, i) => i),
    ))
      engine.receive(chunk);
    expect(recorder.events).toEqual([
      ['ping', ''],
      ['text', 'Hello'],
      ['binary', '010203'],
      ['pong', ''],
      ['close', 1000, ''],
    ]);
  });

  it('parses many frames in one chunk', () => {
    const frames = Array.from({ length: 1000 }, (_, i) => serverFrame(Opcode.Text, `message ${i}`));
    const { recorder, engine } = setup();
    engine.receive(concatBytes(frames));
    expect(recorder.events).toHaveLength(1000);
    expect(recorder.events[999]).toEqual(['text', 'message 999']);
  });

  it('delivers any sequence of messages, whatever the chunking (property)', () => {
    const message = fc.oneof(
      fc.record({ text: fc.string({ unit: 'grapheme', maxLength: 300 }), fragments: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ binary: fc.uint8Array({ maxLength: 300 }), fragments: fc.integer({ min: 1, max: 4 }) }),
    );
    fc.assert(
      fc.property(fc.array(message, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 20 }), (messages, cuts) => {
        const frames: Uint8Array[] = [];
        const expected: unknown[] = [];
        for (const m of messages) {
          const bytes = 'text' in m ? new TextEncoder().encode(m.text) : m.binary;
          const opcode = 'text' in m ? Opcode.Text : Opcode.Binary;
          const size = Math.ceil(bytes.length / m.fragments) || 1;
          const pieces = splitAt(
            bytes,
            Array.from({ length: m.fragments }, (_, i) => i * size),
          );
          if (pieces.length === 0) pieces.push(new Uint8Array(0));
          pieces.forEach((piece, i) => {
            frames.push(serverFrame(i === 0 ? opcode : 0, piece, { fin: i === pieces.length - 1 }));
            if (i === 0) frames.push(serverFrame(Opcode.Ping, 'p')); // a control frame inside the message
          });
          const delivered = 'text' in m ? ['text', m.text] : ['binary', toHex(m.binary)];
          // The ping follows the first frame: inside the message, or after a one-frame message.
          expected.push(...(pieces.length > 1 ? [['ping', '70'], delivered] : [delivered, ['ping', '70']]));
        }
        const stream = concatBytes(frames);
        const { recorder, engine } = setup();
        for (const chunk of splitAt(
          stream,
          cuts.map((cut) => cut % (stream.length + 1)),
        ))
          engine.receive(chunk);
        expect(recorder.events).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('ProtocolEngine: failing the connection (§7.1.7)', () => {
  it('fails a masked server frame with 1002 (§5.1)', () => {
    expectFailure(['818537fa213d7f9f4d5158'], 'masked-frame', 1002);
  });

  it.each([
    ['RSV1 without an extension', 'c10141'],
    ['RSV2', 'a10141'],
    ['RSV3', '910141'],
    ['RSV1 on a ping without an extension', 'c900'],
  ])('fails %s with 1002 (§5.2)', (_, fixture) => {
    expectFailure([fixture], 'reserved-bits', 1002);
  });

  it.each([3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf])('fails the reserved opcode 0x%s with 1002 (§5.2)', (opcode) => {
    expectFailure([toHex(Uint8Array.of(0x80 | opcode, 0))], 'reserved-opcode', 1002);
  });

  it('fails a 126-byte ping with 1002 before reading its payload (§5.5)', () => {
    expectFailure(['897e007e'], 'control-frame-too-long', 1002);
  });

  it('accepts a 125-byte ping', () => {
    const { events } = feed([`897d${'61'.repeat(125)}`]);
    expect(events).toEqual([['ping', '61'.repeat(125)]]);
  });

  it.each([
    ['ping', '0900'],
    ['pong', '0a00'],
    ['close', '0800'],
  ])('fails a fragmented %s with 1002 (§5.5)', (_, fixture) => {
    expectFailure([fixture], 'fragmented-control-frame', 1002);
  });

  it('fails a continuation without a message with 1002 (§5.4)', () => {
    expectFailure(['800141'], 'unexpected-continuation', 1002);
  });

  it('fails a continuation after a finished message with 1002', () => {
    expectFailure(['810141', '000142'], 'unexpected-continuation', 1002);
  });

  it('fails a new data frame inside a fragmented message with 1002 (§5.4)', () => {
    expectFailure(['010141', '810142'], 'expected-continuation', 1002);
    expectFailure(['020141', '020142'], 'expected-continuation', 1002);
  });

  it('fails a 64-bit length with its high bit set with 1002 (§5.2)', () => {
    expectFailure(['827f8000000000000000'], 'invalid-length', 1002);
  });

  it('fails a 64-bit length above Number.MAX_SAFE_INTEGER with 1009', () => {
    expectFailure(['827f0020000000000000'], 'message-too-big', 1009, { maxPayload: Number.POSITIVE_INFINITY });
  });

  it.each([
    ['16-bit form for 125 bytes', '827e007d'],
    ['64-bit form for 65535 bytes', '827f000000000000ffff'],
  ])('fails a non-minimal length (%s) with 1002 (§5.2)', (_, fixture) => {
    expectFailure([fixture], 'invalid-length', 1002);
  });

  it('fails a frame over maxPayload from its header, before any payload (§10.4)', () => {
    expectFailure(['827e0401'], 'message-too-big', 1009, { maxPayload: 1024 });
    const { events } = feed([`827e0400${'00'.repeat(1024)}`], { maxPayload: 1024 });
    expect(events).toHaveLength(1);
  });

  it('counts maxPayload across fragments', () => {
    expectFailure(['0206 000000000000', '8005'], 'message-too-big', 1009, { maxPayload: 10 });
    const { events } = feed(['0206 000000000000', '8004 00000000'], { maxPayload: 10 });
    expect(events).toEqual([['binary', '00'.repeat(10)]]);
  });

  it('fails a message with more than maxFragments frames with 1009', () => {
    expectFailure(['0200', '0000', '0000', '8000'], 'too-many-fragments', 1009, { maxFragments: 3 });
    expect(feed(['0200', '0000', '8000'], { maxFragments: 3 }).events).toEqual([['binary', '']]);
  });

  it('defaults to 100 MiB and 65,536 fragments', () => {
    expect(DEFAULT_PROTOCOL_LIMITS).toMatchObject({ maxPayload: 104_857_600, maxFragments: 65_536 });
    expectFailure(['827f0000000006400001'], 'message-too-big', 1009);
  });

  it('fails invalid UTF-8 in a text message with 1007 (§8.1)', () => {
    expectFailure(['8102c0af'], 'invalid-utf8', 1007);
    expectFailure(['8103eda080'], 'invalid-utf8', 1007);
    expectFailure(['8104f4908080'], 'invalid-utf8', 1007);
  });

  it('fails invalid UTF-8 in a non-final fragment at once, not at the end of the message', () => {
    const { events } = feed(['0102 41ff']);
    expect(events).toEqual([['error', 'invalid-utf8', 1007]]);
    const early = feed(['0102 41f4', '0001 90']);
    expect(early.events).toEqual([['error', 'invalid-utf8', 1007]]);
  });

  it('fails a sequence left incomplete by the final fragment with 1007', () => {
    expectFailure(['8101ce'], 'invalid-utf8', 1007);
    expectFailure(['0101ce', '8000'], 'invalid-utf8', 1007);
  });

  it('accepts a code point split at every position across fragments', () => {
    const bytes = hex('f09f9880'); // U+1F600
    for (let cut = 0; cut <= 4; cut++) {
      const [a, b] = [bytes.subarray(0, cut), bytes.subarray(cut)];
      const { events } = feed([toHex(serverFrame(Opcode.Text, a, { fin: false })), toHex(serverFrame(0, b))]);
      expect(events).toEqual([['text', '\u{1f600}']]);
    }
  });

  it('reports onProtocolError once and writes one close frame', () => {
    const { recorder } = expectFailure(['8102c0af', '800141', '8800'], 'invalid-utf8', 1007);
    expect(recorder.errors).toHaveLength(1);
    expect(recorder.sentFrames()).toHaveLength(1);
  });
});

describe('ProtocolEngine: the closing handshake (§5.5.1, §7)', () => {
  it('echoes the status code of a server-initiated close and becomes closed', () => {
    const { recorder, engine, events } = feed(['8805 03e8 627965']);
    expect(events).toEqual([['close', 1000, 'bye']]);
    const [echo] = recorder.sentFrames();
    expect(echo).toMatchObject({ opcode: Opcode.Close, fin: true, masked: true });
    expect(toHex(echo!.payload)).toBe('03e8');
    expect(engine.state).toBe('closed');
    expect(engine.sendText('late')).toBe(0);
  });

  it('reports an empty close body as 1005 and echoes an empty body', () => {
    const { recorder, events } = feed(['8800']);
    expect(events).toEqual([['close', 1005, '']]);
    expect(toHex(recorder.sentFrames()[0]!.payload)).toBe('');
  });

  it('ignores everything after the peer close, even in the same chunk', () => {
    const { recorder, events } = feed(['8802 03e8 810141 8900']);
    expect(events).toEqual([['close', 1000, '']]);
    expect(recorder.sentFrames()).toHaveLength(1);
  });

  it('fails a 1-byte close body with 1002', () => {
    expectFailure(['880103'], 'invalid-close-payload', 1002);
  });

  it.each([1004, 1005, 1006, 1015, 1016, 2999, 5000])('fails the close code %i with 1002', (code) => {
    expectFailure([`8802${code.toString(16).padStart(4, '0')}`], 'invalid-close-code', 1002);
  });

  it('fails a close reason that is not UTF-8 with 1007', () => {
    expectFailure(['8804 03e8 c0af'], 'invalid-utf8', 1007);
  });

  it('after close(): sends one close frame, refuses sends, still delivers data until the peer closes', () => {
    const { recorder, engine } = setup();
    engine.close(1000, 'done');
    expect(engine.state).toBe('closing');
    const [close] = recorder.sentFrames();
    expect(toHex(close!.payload)).toBe(`03e8${toHex(new TextEncoder().encode('done'))}`);
    expect(engine.sendText('dropped')).toBe(0);
    expect(engine.sendBinary(new Uint8Array(3))).toBe(0);
    engine.ping();
    engine.close(1000); // a second close is ignored
    engine.receive(hex('8102 6869 8900'));
    engine.receive(hex('8802 03e8'));
    expect(recorder.events).toEqual([
      ['text', 'hi'],
      ['ping', ''],
      ['close', 1000, ''],
    ]);
    expect(recorder.sentFrames()).toHaveLength(1); // no pong after our close, no second close
    expect(engine.state).toBe('closed');
  });

  it('rejects close codes and reasons that may not be sent', () => {
    const { engine } = setup();
    expect(() => engine.close(1005)).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }));
    expect(() => engine.close(1000, 'x'.repeat(124))).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
    expect(engine.state).toBe('open');
  });

  it('sends a close frame without a body when close() has no code', () => {
    const { recorder, engine } = setup();
    engine.close();
    expect(toHex(recorder.sentFrames()[0]!.payload)).toBe('');
  });

  it('terminate() stops everything without writing', () => {
    const { recorder, engine } = setup();
    engine.terminate();
    engine.receive(hex('810141'));
    expect(engine.sendText('x')).toBe(0);
    expect(engine.state).toBe('closed');
    expect(recorder.events).toEqual([]);
    expect(recorder.writes).toEqual([]);
  });
});

describe('ProtocolEngine: sending (§5.1–§5.4)', () => {
  it('writes one masked frame per message, synchronously, and returns the payload size', () => {
    const { recorder, engine } = setup();
    expect(engine.sendText('héllo')).toBe(6);
    expect(engine.sendBinary(hex('0102'))).toBe(2);
    expect(recorder.writes.map((chunks) => chunks.length)).toEqual([1, 1]);
    expect(recorder.sentFrames().map((f) => [f.opcode, f.fin, f.masked, toHex(f.payload)])).toEqual([
      [Opcode.Text, true, true, toHex(new TextEncoder().encode('héllo'))],
      [Opcode.Binary, true, true, '0102'],
    ]);
    expect(engine.bufferedBytes).toBe(0);
  });

  it('fragments on request, all frames in one write() call', () => {
    const { recorder, engine } = setup();
    engine.sendText('abcdefgh', { fragmentBytes: 3 });
    expect(recorder.writes).toHaveLength(1);
    expect(recorder.sentFrames().map((f) => [f.opcode, f.fin, new TextDecoder().decode(f.payload)])).toEqual([
      [Opcode.Text, false, 'abc'],
      [Opcode.Continuation, false, 'def'],
      [Opcode.Continuation, true, 'gh'],
    ]);
  });

  it('sends pings and pongs, refusing payloads over 125 bytes', () => {
    const { recorder, engine } = setup();
    engine.ping('are you there');
    engine.pong(hex('0102'));
    expect(() => engine.ping(new Uint8Array(126))).toThrow(RangeError);
    expect(recorder.sentFrames().map((f) => [f.opcode, toHex(f.payload)])).toEqual([
      [Opcode.Ping, toHex(new TextEncoder().encode('are you there'))],
      [Opcode.Pong, '0102'],
    ]);
  });

  it('never masks the caller buffer in place', () => {
    const { engine } = setup();
    const data = new Uint8Array(10_000).fill(0x55);
    engine.sendBinary(data);
    expect(data.every((byte) => byte === 0x55)).toBe(true);
  });

  it('round-trips any message through our writer, unmasked and fed back in any split (property)', () => {
    const writer = new FrameWriter();
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 2000 }), fc.uint8Array({ maxLength: 70_000 })),
        fc.integer({ min: 1, max: 100_000 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (message, fragmentBytes, cuts) => {
          const text = typeof message === 'string';
          const bytes = text ? new TextEncoder().encode(message) : message;
          const written = writer.fragments(text ? Opcode.Text : Opcode.Binary, bytes, fragmentBytes);
          // Turn client frames into server frames: unmask, clear the MASK bit.
          const stream = concatBytes(
            decodeClientFrames(concatBytes(written)).map((f) =>
              serverFrame(f.opcode, f.payload, { fin: f.fin, rsv1: f.rsv1 }),
            ),
          );
          const { recorder, engine } = setup();
          for (const chunk of splitAt(
            stream,
            cuts.map((cut) => cut % (stream.length + 1)),
          ))
            engine.receive(chunk);
          if (text) expect(recorder.events).toEqual([['text', new TextDecoder().decode(bytes)]]);
          else expect(sameBytes(recorder.binaries[0], message)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});
