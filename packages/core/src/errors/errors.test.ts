import { describe, expect, it, vi } from 'vitest';
import { HandshakeError } from './handshake-error.js';
import { ProtocolError } from './protocol-error.js';
import { SturdySocketError } from './sturdy-socket-error.js';

describe('errors', () => {
  it('carry a stable code, a name, a cause and their fields', () => {
    const cause = new Error('root');
    const error = new HandshakeError('bad-accept', 'mismatch', { status: 101, cause });
    expect(error.code).toBe('ERR_WS_HANDSHAKE');
    expect(error.name).toBe('HandshakeError');
    expect(error.reason).toBe('bad-accept');
    expect(error.status).toBe(101);
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(SturdySocketError);
    expect(error).toBeInstanceOf(HandshakeError);
    expect(error).not.toBeInstanceOf(ProtocolError);
    const protocol = new ProtocolError('masked-frame', 'masked', { closeCode: 1002 });
    expect(protocol.closeCode).toBe(1002);
    expect(protocol).not.toBeInstanceOf(HandshakeError);
  });
  it('omit cause when none is given', () => {
    expect('cause' in new HandshakeError('timeout', 't')).toBe(false);
  });
  it('are recognised by a second copy of the package', async () => {
    // A second, independent module instance: what two installed copies of the package amount to.
    vi.resetModules();
    const copy = await import('./handshake-error.js');
    expect(copy.HandshakeError).not.toBe(HandshakeError);
    const foreign = new copy.HandshakeError('timeout', 'slow');
    expect(foreign).toBeInstanceOf(HandshakeError);
    expect(foreign).toBeInstanceOf(SturdySocketError);
    expect(new HandshakeError('timeout', 'slow')).toBeInstanceOf(copy.HandshakeError);
    expect(foreign).not.toBeInstanceOf(ProtocolError);
  });
  it('keep name off the enumerable properties, as Error does, but writable', () => {
    const error = new HandshakeError('timeout', 't');
    expect(Object.keys(error)).not.toContain('name');
    expect(JSON.stringify(error)).not.toContain('HandshakeError');
    error.name = 'Renamed';
    expect(error.name).toBe('Renamed');
  });
  it('let an application subclass them, branded or not', () => {
    class RetryableHandshakeError extends HandshakeError {
      static override readonly brand: string = 'RetryableHandshakeError';
    }
    class UnbrandedError extends SturdySocketError {}
    const error = new RetryableHandshakeError('timeout', 't');
    expect(error.name).toBe('RetryableHandshakeError');
    expect(error).toBeInstanceOf(RetryableHandshakeError);
    expect(error).toBeInstanceOf(HandshakeError);
    expect(error).toBeInstanceOf(SturdySocketError);
    expect(new HandshakeError('timeout', 't')).not.toBeInstanceOf(RetryableHandshakeError);
    expect(new UnbrandedError('ERR_X', 'x').name).toBe('SturdySocketError');
    expect(new UnbrandedError('ERR_X', 'x')).toBeInstanceOf(SturdySocketError);
  });
  it('do not claim plain objects or strings', () => {
    expect({} instanceof SturdySocketError).toBe(false);
    expect(('x' as unknown) instanceof SturdySocketError).toBe(false);
    expect((null as unknown) instanceof HandshakeError).toBe(false);
  });
});
