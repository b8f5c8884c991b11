/**
 * Memory for received payloads and large outgoing frames: the engine's `allocate` (see
 * `ProtocolEngineOptions.allocate`).
 *
 * Payloads are `Buffer.allocUnsafe`: the parser overwrites every byte, so zero-filling would be
 * wasted, and a `Buffer` is what binaryType `'nodebuffer'` hands over.
 *
 * A large payload is handed to the application, so it must be fresh memory of its own, and it is
 * freed only when the garbage collector finds it unreachable, many at a time. With glibc's
 * allocator that bulk free leaves the top of the heap empty, glibc gives it back to the kernel,
 * and the next payloads are carved from new pages that fault in one by one while the socket
 * read fills them. Measured on 1 MiB messages (`pnpm bench --only=receive-1MiB`, page faults in
 * its output): two to three times the minor page faults of a client that only counts bytes,
 * and 15–25% more CPU.
 *
 * So each large allocation is followed by a small one, the anchor, kept alive until the next
 * large allocation replaces it. Something allocated after the newest payloads then stays live, so
 * the payloads freed before it are kept by the allocator and reused without faulting, instead of
 * being returned with the heap's top. It costs one `ANCHOR_BYTES` block per process and one allocation per large
 * payload; under other allocators it is a small block that does no harm.
 */
const LARGE_PAYLOAD_BYTES = 64 * 1024;

/** Size of the anchor: above glibc's per-thread cache and small bins, which hold small freed blocks. */
const ANCHOR_BYTES = 4096;

let anchor: Buffer | undefined;

/** Memory for a payload of `length` bytes, not zero-filled (the caller writes every byte). */
export function allocatePayload(length: number): Uint8Array {
  const payload = Buffer.allocUnsafe(length);
  if (length >= LARGE_PAYLOAD_BYTES) anchor = Buffer.allocUnsafeSlow(ANCHOR_BYTES);
  return payload;
}

/** The anchor now held (for tests: it changes with every large payload, never with a small one). */
export function heapAnchor(): Buffer | undefined {
  return anchor;
}
