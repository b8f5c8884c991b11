/**
 * Masking (RFC 6455 §5.3) of large payloads with WebAssembly SIMD: 16 bytes per instruction,
 * where the JavaScript word loop does 4. Measured on 1 MiB: about 4.5 GB/s against 2.5 GB/s for
 * the unrolled word loop (and 0.9 GB/s for the word loop as it was), copies in and out included.
 *
 * The module is built here, instruction by instruction, rather than shipped as an opaque blob.
 * Its one function, in the WebAssembly text format:
 *
 * ```wat
 * (module
 *   (memory (export "memory") 1 1)                 ;; one 64 KiB page: the work area
 *   (func (export "mask") (param $length i32) (param $key i32)
 *     (local $key16 v128) (local $at i32)
 *     (local.set $key16 (i32x4.splat (local.get $key)))
 *     (block $done
 *       (loop $next
 *         (br_if $done (i32.ge_u (local.get $at) (local.get $length)))
 *         (v128.store (local.get $at)
 *           (v128.xor (v128.load (local.get $at)) (local.get $key16)))
 *         (local.set $at (i32.add (local.get $at) (i32.const 16)))
 *         (br $next)))))
 * ```
 *
 * `mask(length, key)` XORs the first `length` bytes of the memory (a multiple of 16) with the
 * key repeated; WebAssembly is little-endian everywhere, so the key word is `k0 | k1 << 8 | …`.
 * Payloads go through the page in 64 KiB pieces; the 0–15 bytes after the last whole 16 are
 * XORed by the caller.
 */

/** Bytes masked per call: the module's whole memory. */
export const SIMD_CHUNK_BYTES = 65_536; // 64 KiB

// The opcodes used, by their names in the WebAssembly core specification (§5.4).
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const BLOCK = 0x02;
const LOOP = 0x03;
const BR = 0x0c;
const BR_IF = 0x0d;
const END = 0x0b;
const VOID = 0x40;
const I32 = 0x7f;
const V128 = 0x7b;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_GE_U = 0x4f;
const SIMD = 0xfd; // prefix; the SIMD opcode follows as unsigned LEB128
const V128_LOAD = [SIMD, 0x00];
const V128_STORE = [SIMD, 0x0b];
const I32X4_SPLAT = [SIMD, 0x11];
const V128_XOR = [SIMD, 0x51];
const MEMARG_ALIGN_16_OFFSET_0 = [0x04, 0x00];

// Parameters and locals by index: $length 0, $key 1, $key16 2, $at 3.
const LENGTH = 0;
const KEY = 1;
const KEY16 = 2;
const AT = 3;

/** The function's body: its locals, then its instructions. Built when compiled, not at import. */
function body(): number[] {
  return [
    [0x02, 0x01, V128, 0x01, I32], // two local declarations: one v128 ($key16), one i32 ($at)
    [LOCAL_GET, KEY, ...I32X4_SPLAT, LOCAL_SET, KEY16],
    [BLOCK, VOID, LOOP, VOID],
    [LOCAL_GET, AT, LOCAL_GET, LENGTH, I32_GE_U, BR_IF, 1], // leave the block when done
    [LOCAL_GET, AT], // the store's address
    [LOCAL_GET, AT, ...V128_LOAD, ...MEMARG_ALIGN_16_OFFSET_0, LOCAL_GET, KEY16, ...V128_XOR],
    [...V128_STORE, ...MEMARG_ALIGN_16_OFFSET_0],
    [LOCAL_GET, AT, I32_CONST, 16, I32_ADD, LOCAL_SET, AT],
    [BR, 0], // to the loop's start
    [END, END, END], // loop, block, function
  ].flat();
}

/** A section: its id, then its contents prefixed by their length (all lengths here are < 128). */
const section = (id: number, contents: number[]): number[] => [id, contents.length, ...contents];
const name = (text: string): number[] => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const code = body();
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, [1, 0x60, 2, I32, I32, 0]), // types: (i32, i32) -> ()
    ...section(3, [1, 0]), // functions: one, of type 0
    ...section(5, [1, 0x01, 1, 1]), // memory: one, min 1 max 1 page
    ...section(7, [2, ...name('mask'), 0x00, 0, ...name('memory'), 0x02, 0]), // exports
    ...section(10, [1, code.length, ...code]), // code
  ]);
}

/** Masks `length` (a multiple of 16, at most SIMD_CHUNK_BYTES) bytes of `memory` in place. */
export interface SimdMasker {
  readonly memory: Uint8Array;
  mask(length: number, keyWord: number): void;
}

let masker: SimdMasker | null | undefined;

/**
 * The SIMD masker, compiled on first use (a few hundred bytes, synchronously); `null` where
 * WebAssembly or its SIMD instructions are missing, and the caller then masks in JavaScript.
 */
export function simdMasker(): SimdMasker | null {
  if (masker !== undefined) return masker;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()));
    const exports = instance.exports as { mask: (length: number, key: number) => void; memory: WebAssembly.Memory };
    masker = { memory: new Uint8Array(exports.memory.buffer), mask: exports.mask };
  } catch {
    masker = null;
  }
  return masker;
}
