import type { EngineEvent } from '../../shared/engine-events';
import { BACKEND_SAMPLE_RATE } from '../audio/pcm-format';
import { measureLevel } from '../audio/level-meter';

/** How often the meter moves: smooth to the eye, cheap over IPC. */
const REPORTS_PER_SECOND = 15;

/**
 * Turns the captured audio into a few `level` events a second. Counting samples rather
 * than reading a clock keeps it steady whatever size the device's buffers are.
 */
export class MicLevelReporter {
  private samplesSinceReport = 0;
  private peak = 0;
  private readonly samplesPerReport = Math.round(BACKEND_SAMPLE_RATE / REPORTS_PER_SECOND);

  constructor(private readonly emit: (event: EngineEvent) => void) {}

  push(pcm: Int16Array): void {
    this.peak = Math.max(this.peak, measureLevel(pcm));
    this.samplesSinceReport += pcm.length;
    if (this.samplesSinceReport < this.samplesPerReport) return;
    this.emit({ type: 'level', level: Math.round(this.peak * 1000) / 1000 });
    this.samplesSinceReport = 0;
    this.peak = 0;
  }

  reset(): void {
    this.samplesSinceReport = 0;
    this.peak = 0;
  }
}
