/**
 * Types for the raw Emscripten builds in @echogarden/speex-resampler-wasm (plain and SIMD), which
 * ship none.
 * Only what src/main/audio/speex-resampler.ts uses. Pointers are byte offsets into the WASM heap.
 */
declare module '@echogarden/speex-resampler-wasm' {
  export interface SpeexResamplerModule {
    /** Views are replaced when the heap grows, so read them after any `_malloc`. */
    readonly HEAP16: Int16Array;
    readonly HEAPU32: Uint32Array;
    readonly HEAP32: Int32Array;
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    /** Returns the state pointer, or 0 with an error code written at `errPointer`. */
    _speex_resampler_init(channels: number, inRate: number, outRate: number, quality: number, errPointer: number): number;
    _speex_resampler_destroy(state: number): void;
    /** `inLenPointer`/`outLenPointer` hold capacities on entry, consumed/written counts on return. */
    _speex_resampler_process_int(
      state: number,
      channel: number,
      inPointer: number,
      inLenPointer: number,
      outPointer: number,
      outLenPointer: number,
    ): number;
    _speex_resampler_get_input_latency(state: number): number;
    _speex_resampler_skip_zeros(state: number): number;
    _speex_resampler_reset_mem(state: number): number;
  }

  const createSpeexResamplerModule: (moduleArg?: object) => Promise<SpeexResamplerModule>;
  export default createSpeexResamplerModule;
}

declare module '@echogarden/speex-resampler-wasm/simd' {
  import type { SpeexResamplerModule } from '@echogarden/speex-resampler-wasm';

  const createSpeexResamplerModule: (moduleArg?: object) => Promise<SpeexResamplerModule>;
  export default createSpeexResamplerModule;
}
