import { PcmResampler } from '../../audio/pcm-resampler';
import { concat } from '../../audio/speex-resampler';

/**
 * One held clip, resampled while it is being recorded. Converting a whole 10 s clip at key-up
 * took ~50–150 ms here (plus ~25 ms to load the converter); done frame by frame during the
 * hold, key-up only pays for the filter's short tail.
 */
export class ResampledClip {
  private readonly ready: Promise<PcmResampler>;
  private resampler: PcmResampler | null = null;
  /** Frames that arrived before the converter finished loading. */
  private backlog: Int16Array[] = [];
  private readonly output: Int16Array[] = [];
  private closed = false;
  /** Samples appended, at the input rate. */
  inputSamples = 0;

  constructor(fromRate: number, toRate: number) {
    this.ready = PcmResampler.create(fromRate, toRate);
    this.ready.then(
      (resampler) => {
        if (this.closed) {
          resampler.dispose();
          return;
        }
        this.resampler = resampler;
        this.drainBacklog(resampler);
      },
      // finish() reports it; this only keeps the rejection from going unhandled.
      () => undefined,
    );
  }

  append(pcm: Int16Array): void {
    if (this.closed) return;
    this.inputSamples += pcm.length;
    if (this.resampler) this.output.push(this.resampler.process(pcm));
    else this.backlog.push(pcm.slice());
  }

  /** The whole clip at the output rate; the clip takes no more audio after this. */
  async finish(): Promise<Int16Array> {
    const resampler = await this.ready;
    if (this.closed) throw new Error('ResampledClip finished twice or after discard()');
    this.closed = true;
    this.drainBacklog(resampler);
    this.output.push(resampler.flush());
    resampler.dispose();
    this.resampler = null;
    return concat(this.output);
  }

  discard(): void {
    if (this.closed) return;
    this.closed = true;
    this.resampler?.dispose();
    this.resampler = null;
    this.backlog = [];
  }

  private drainBacklog(resampler: PcmResampler): void {
    for (const frame of this.backlog) this.output.push(resampler.process(frame));
    this.backlog = [];
  }
}
