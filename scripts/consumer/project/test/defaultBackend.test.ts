// The backend a user gets without asking: the wasm backend, with the relaxed-SIMD build of its
// kernels where the engine validates relaxed SIMD (Node 22+, Chrome 114+) and the simd128 build
// elsewhere (Node 20), told apart by a probe of its own, not the library's.
import { describe, expect, it } from 'vitest';
import { WasmBackend, getBackend, matmul, tensor } from '@keepdist/autograd';

/** A module of one function `() -> v128` that returns f32x4.relaxed_madd of three zero vectors. */
function relaxedProbe(): Uint8Array {
  const zeros = (): number[] => [0xfd, 0x0c, ...new Array<number>(16).fill(0)]; // v128.const 0
  const body = [0x00, ...zeros(), ...zeros(), ...zeros(), 0xfd, 0x85, 0x02, 0x0b]; // no locals … f32x4.relaxed_madd, end
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
    0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
    0x0a, body.length + 2, 0x01, body.length, ...body, // code section
  ]);
}

describe('the default backend', () => {
  it('is the wasm backend with the kernel build this engine supports, and computes with it', () => {
    const b = getBackend();
    expect(b).toBeInstanceOf(WasmBackend);
    expect((b as WasmBackend).simd).toBe(WebAssembly.validate(relaxedProbe() as BufferSource) ? 'relaxed-simd' : 'simd128');
    const a = tensor([[1, 2], [3, 4]], { dtype: 'float32' });
    expect(Array.from(matmul(a, a).dataSync())).toEqual([7, 10, 15, 22]);
  });
});
