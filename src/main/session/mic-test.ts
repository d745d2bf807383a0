import type { EngineEvent } from '../../shared/engine-events';
import type { Microphone, Unsubscribe } from '../audio/mic-and-speaker';
import { toUserFacingError } from '../user-facing-error';
import type { EngineFactory } from './engine-factory';
import { MicLevelReporter } from './mic-level-reporter';

/**
 * "Try your mic" in Settings: opens the chosen input on its own and reports its level,
 * without sending anything anywhere.
 */
export class MicTest {
  private mic: Microphone | null = null;
  private unsubscribe: Unsubscribe | null = null;

  constructor(
    private readonly factory: EngineFactory,
    private readonly emit: (event: EngineEvent) => void,
  ) {}

  async start(deviceName: string | null): Promise<void> {
    await this.stop();
    const mic = this.factory.createMicrophone(deviceName);
    const reporter = new MicLevelReporter(this.emit);
    this.mic = mic;
    this.unsubscribe = mic.onFrames((pcm) => reporter.push(pcm));
    try {
      await mic.open();
      mic.setListening(true);
    } catch (error) {
      await this.stop();
      throw toUserFacingError(error);
    }
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    const mic = this.mic;
    this.mic = null;
    if (mic) {
      await mic.dispose();
      this.emit({ type: 'level', level: 0 });
    }
  }
}
