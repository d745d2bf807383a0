import createPlainModule, { type SpeexResamplerModule } from '@echogarden/speex-resampler-wasm';
import createSimdModule from '@echogarden/speex-resampler-wasm/simd';

/** Bounds the WASM heap buffers; bigger inputs are fed in pieces. */
const MAX_CHUNK = 16_384;

let loading: Promise<SpeexResamplerModule> | null = null;

/**
 * One WASM instance per process: instantiating costs milliseconds, a resampler state microseconds.
 * The SIMD build gives the same samples for ~35–75 % less CPU here (Node 20, Electron 45 both
 * have WASM SIMD); the plain build is the fallback for a runtime without it.
 */
function loadModule(): Promise<SpeexResamplerModule> {
  if (loading === null) {
    loading = createSimdModule().catch(() => createPlainModule()).catch((error: unknown) => {
      // Let a later create() try again instead of caching the failure forever.
      loading = null;
      throw new Error('Could not load the Speex resampler (WASM).', { cause: error });
    });
  }
  return loading;
}

/**
 * One mono Speex resampler state in the shared WASM heap, with its own in/out buffers there.
 * Plain speexdsp behaviour: the output lags the input by `inputLatency` input samples, held
 * inside the filter until more input (or zeros) pushes it out. Not thread-aware; JS is one thread.
 */
export class SpeexResampler {
  /** Input samples the filter holds back before they show up in the output. */
  readonly inputLatency: number;
  private disposed = false;

  private constructor(
    private readonly wasm: SpeexResamplerModule,
    private readonly state: number,
    /** One block: [in len u32][out len u32][input int16 × chunk][output int16 × outCapacity]. */
    private readonly block: number,
    private readonly chunk: number,
    private readonly outCapacity: number,
  ) {
    this.inputLatency = wasm._speex_resampler_get_input_latency(state);
  }

  static async create(fromRate: number, toRate: number, quality: number): Promise<SpeexResampler> {
    const wasm = await loadModule();
    const errorPointer = wasm._malloc(4);
    const state = wasm._speex_resampler_init(1, fromRate, toRate, quality, errorPointer);
    const errorCode = wasm.HEAP32[errorPointer >> 2];
    wasm._free(errorPointer);
    if (state === 0) throw new Error(`Speex resampler refused ${fromRate} Hz → ${toRate} Hz (error ${errorCode})`);
    const ratio = toRate / fromRate;
    const chunk = ratio > 1 ? Math.max(64, Math.floor(MAX_CHUNK / ratio)) : MAX_CHUNK;
    // Room for every output sample the chunk can make, so each call consumes the whole chunk.
    const outCapacity = Math.ceil(chunk * ratio) + 64;
    const block = wasm._malloc(8 + 2 * chunk + 2 * outCapacity);
    if (block === 0) {
      wasm._speex_resampler_destroy(state);
      throw new Error('Out of WASM memory for the Speex resampler');
    }
    const resampler = new SpeexResampler(wasm, state, block, chunk, outCapacity);
    resampler.reset();
    return resampler;
  }

  /** Resamples all of `input`; returns a new array owned by the caller. */
  process(input: Int16Array): Int16Array {
    this.assertUsable();
    const pieces: Int16Array[] = [];
    for (let start = 0; start < input.length; ) {
      const piece = input.subarray(start, start + this.chunk);
      const { consumed, out } = this.step(piece);
      pieces.push(out);
      // speexdsp consumes everything when the output has room, which outCapacity guarantees.
      if (consumed === 0) throw new Error('Speex resampler made no progress');
      start += consumed;
    }
    return pieces.length === 1 ? pieces[0] : concat(pieces);
  }

  /** Empties the filter, and skips its leading zeros so the output starts aligned with the input. */
  reset(): void {
    this.assertUsable();
    this.wasm._speex_resampler_reset_mem(this.state);
    this.wasm._speex_resampler_skip_zeros(this.state);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.wasm._speex_resampler_destroy(this.state);
    this.wasm._free(this.block);
  }

  private step(input: Int16Array): { consumed: number; out: Int16Array } {
    const { wasm, block } = this;
    const inPointer = block + 8;
    const outPointer = inPointer + 2 * this.chunk;
    // The heap can have grown (and its views been replaced) since the last call.
    const lengths = wasm.HEAPU32;
    const heap16 = wasm.HEAP16;
    heap16.set(input, inPointer >> 1);
    lengths[block >> 2] = input.length;
    lengths[(block >> 2) + 1] = this.outCapacity;
    wasm._speex_resampler_process_int(this.state, 0, inPointer, block, outPointer, block + 4);
    const consumed = lengths[block >> 2];
    const written = lengths[(block >> 2) + 1];
    return { consumed, out: heap16.slice(outPointer >> 1, (outPointer >> 1) + written) };
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error('Speex resampler used after dispose()');
  }
}

export function concat(pieces: Int16Array[]): Int16Array {
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const out = new Int16Array(length);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}
