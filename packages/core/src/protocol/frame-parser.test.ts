import { describe, expect, it } from 'vitest';
import type { ProtocolError } from '../errors/protocol-error.js';
import { FrameParser, type FrameParserOptions } from './frame-parser.js';
import { hex, toHex } from './harness.test-helper.js';

const defaults: FrameParserOptions = { maxPayload: 1 << 20, maxFragments: 100, allowRsv1: false };

function parser(options: Partial<FrameParserOptions> = {}, onFrame?: (p: FrameParser) => void) {
  const frames: [boolean, boolean, number, string][] = [];
  const errors: ProtocolError[] = [];
  const instance: FrameParser = new FrameParser(
    {
      onFrame(fin, rsv1, opcode, payload) {
        frames.push([fin, rsv1, opcode, toHex(payload)]);
        onFrame?.(instance);
      },
      onViolation(error) {
        errors.push(error);
      },
    },
    { ...defaults, ...options },
  );
  return { instance, frames, errors };
}

describe('FrameParser (RFC 6455 §5.2)', () => {
  it('reports FIN, RSV1, opcode and payload of each frame', () => {
    const { instance, frames } = parser({ allowRsv1: true });
    instance.push(hex('4102 6869 8000 8a01 ff'));
    expect(frames).toEqual([
      [false, true, 1, '6869'],
      [true, false, 0, ''],
      [true, false, 10, 'ff'],
    ]);
  });

  it('waits for whole headers and payloads, and counts what it holds', () => {
    const { instance, frames } = parser();
    instance.push(hex('82'));
    instance.push(hex('7e'));
    instance.push(hex('00'));
    expect(instance.bufferedBytes).toBe(1);
    instance.push(hex('80'));
    instance.push(new Uint8Array(127));
    expect(frames).toEqual([]);
    expect(instance.bufferedBytes).toBe(127);
    instance.push(new Uint8Array(2));
    expect(frames).toHaveLength(1);
    expect(frames[0]![3]).toBe('00'.repeat(128));
    expect(instance.bufferedBytes).toBe(1);
  });

  it('pauses after the frame whose handler asked, buffers input, and resumes in order', () => {
    const { instance, frames } = parser({}, (p) => {
      if (frames.length === 1) p.pause();
    });
    instance.push(hex('8101 61 8101 62'));
    expect(frames.map((f) => f[3])).toEqual(['61']);
    expect(instance.paused).toBe(true);
    instance.push(hex('8101 63'));
    expect(instance.bufferedBytes).toBe(6);
    instance.resume();
    expect(frames.map((f) => f[3])).toEqual(['61', '62', '63']);
    expect(instance.bufferedBytes).toBe(0);
  });

  it('stops for good on a violation, dropping buffered input', () => {
    const { instance, frames, errors } = parser();
    instance.push(hex('8300 810161'));
    expect(errors.map((e) => [e.violation, e.closeCode])).toEqual([['reserved-opcode', 1002]]);
    expect(instance.stopped).toBe(true);
    expect(instance.bufferedBytes).toBe(0);
    instance.push(hex('810161'));
    expect(frames).toEqual([]);
  });

  it('stays linear when a large frame arrives one byte at a time', () => {
    const { instance, frames } = parser();
    const frame = new Uint8Array(4 + 60_000);
    frame.set(hex('827eea60'));
    const started = performance.now();
    for (let i = 0; i < frame.length; i++) instance.push(frame.subarray(i, i + 1));
    expect(frames).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
