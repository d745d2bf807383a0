import type { AssistantState, EngineEvent, ToolEvent } from '../../shared/engine-events';
import type { ConversationLine } from '../../shared/conversation';
import type { DeviceList } from '../../shared/ipc';
import type { Settings } from '../../shared/settings';
import type { Microphone, Speaker } from '../audio/mic-and-speaker';
import type { BackendTools } from '../backends/backend-tools';
import type { VoiceBackend } from '../backends/voice-backend';
import { toUserFacingError, type UserFacingError } from '../user-facing-error';
import type { EngineApi } from './engine-api';
import { Conversation } from './conversation';
import { type EngineFactory, createRealEngineFactory } from './engine-factory';
import { MicTest } from './mic-test';
import { VoiceSession } from './voice-session';
import { PushToTalkBinding } from './push-to-talk-binding';
import { SerialSteps } from '../../shared/serial-steps';

export interface EngineTools extends BackendTools {
  onToolEvent(listener: (event: ToolEvent) => void): () => void;
}

export interface ParleyEngineOptions {
  settings: Settings;
  apiKey: string | null;
  /** Why a saved key could not be used (it could not be unlocked); see EngineApi.applySettings. */
  keyProblem?: UserFacingError | null;
  log: (message: string) => void;
  /** The tools the model may call (a ToolCatalog), whose calls the engine reports as tool events. */
  tools?: EngineTools | null;
  /** The real devices, hook and backends by default; the engine's unit tests pass stand-ins. */
  factory?: EngineFactory;
}

/**
 * The composition root of the engine: it builds the mic, the speaker, the backend and the
 * hotkey from the settings, joins them in a VoiceSession, and rebuilds only what a settings
 * change touches. It owns the conversation, which outlives sessions and backends: a settings
 * change keeps it, and a window that (re)loads draws it at once.
 */
export class ParleyEngine implements EngineApi {
  private settings: Settings;
  private apiKey: string | null;
  private keyProblem: UserFacingError | null;
  /** Settings changes, applied one at a time: two quick saves must not both swap the devices. */
  private readonly settingsChanges = new SerialSteps();
  private readonly factory: EngineFactory;
  private mic: Microphone | null = null;
  private speaker: Speaker | null = null;
  private backend: VoiceBackend | null = null;
  private session: VoiceSession | null = null;
  private readonly hotkey: PushToTalkBinding;
  private readonly micTest: MicTest;
  private readonly stopToolEvents: () => void;
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private readonly conversation = new Conversation((event) => this.emit(event));
  private currentState: AssistantState = 'connecting';
  private started = false;
  private disposed = false;

  constructor(private readonly options: ParleyEngineOptions) {
    this.settings = options.settings;
    this.apiKey = options.apiKey;
    this.keyProblem = options.keyProblem ?? null;
    this.factory = options.factory ?? createRealEngineFactory(options.log);
    this.hotkey = new PushToTalkBinding(this.factory, options.log, {
      onPress: () => this.session?.press(),
      onRelease: (release) => this.session?.release(release),
      onError: (error) => this.emit(error.toEvent()),
    });
    this.micTest = new MicTest(this.factory, (event) => this.emit(event));
    this.stopToolEvents =
      options.tools?.onToolEvent((event) => {
        this.session?.noteTool(event);
        this.conversation.applyTool(event);
        this.emit(event);
      }) ?? (() => undefined);
  }

  get state(): AssistantState {
    return this.currentState;
  }

  get lines(): readonly ConversationLine[] {
    return this.conversation.lines;
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // The session reports idle ("hold F9 to talk") only once the hotkey really listens.
    await Promise.all([this.openDevices(), this.hotkey.bind(this.settings.hotkey, this.settings.capture.maxHoldMs)]);
    await this.buildSession();
  }

  applySettings(settings: Settings, apiKey: string | null, keyProblem: UserFacingError | null = null): Promise<void> {
    return this.settingsChanges.run(() => this.applySettingsNow(settings, apiKey, keyProblem));
  }

  private async applySettingsNow(settings: Settings, apiKey: string | null, keyProblem: UserFacingError | null): Promise<void> {
    if (this.disposed) return;
    const previous = this.settings;
    const keyChanged = apiKey !== this.apiKey || keyProblem?.message !== this.keyProblem?.message;
    this.settings = settings;
    this.apiKey = apiKey;
    this.keyProblem = keyProblem;
    if (!this.started) return;
    const devicesChanged = previous.inputDevice !== settings.inputDevice || previous.outputDevice !== settings.outputDevice;
    const backendChanged =
      keyChanged ||
      previous.backend !== settings.backend ||
      previous.instructions !== settings.instructions ||
      JSON.stringify(previous.realtime) !== JSON.stringify(settings.realtime) ||
      JSON.stringify(previous.chatAudio) !== JSON.stringify(settings.chatAudio);
    if (devicesChanged) {
      // The session goes first: a key press meanwhile must not reach a closed device.
      await this.teardownSession();
      await this.closeDevices();
      await this.openDevices();
    } else if (previous.capture.keepMicWarm !== settings.capture.keepMicWarm) {
      await this.warmOrCoolMic();
    }
    if (devicesChanged || backendChanged) await this.buildSession();
    else this.session?.setCapture(settings.capture);
    if (previous.hotkey !== settings.hotkey || previous.capture.maxHoldMs !== settings.capture.maxHoldMs) {
      await this.hotkey.bind(settings.hotkey, settings.capture.maxHoldMs);
    }
  }

  clearConversation(): void {
    this.continueConversation([]);
  }

  continueConversation(lines: readonly ConversationLine[]): void {
    this.conversation.replace(lines);
    this.session?.replaceConversation();
  }

  retryLastTurn(): void {
    this.session?.retryLastTurn();
  }

  cancelTurn(): void {
    this.session?.cancelTurn();
  }

  listDevices(): Promise<DeviceList> {
    return this.factory.listDevices();
  }

  async startMicTest(deviceName: string | null): Promise<void> {
    await this.micTest.start(deviceName);
  }

  async stopMicTest(): Promise<void> {
    await this.micTest.stop();
  }

  releaseHotkey(reason: 'session-locked' | 'suspended'): void {
    this.options.log(`hotkey released: ${reason}`);
    this.hotkey.forceRelease(reason);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.hotkey.dispose();
    this.stopToolEvents();
    await this.micTest.stop();
    await this.teardownSession();
    await this.closeDevices();
    this.listeners.clear();
  }

  /** The old backend is gone before the new one connects: never two sockets to the server. */
  private async buildSession(): Promise<void> {
    await this.teardownSession();
    if (this.disposed) return;
    const mic = this.mic;
    const speaker = this.speaker;
    if (!mic || !speaker) return;
    const backend = this.factory.createBackend(this.settings, { apiKey: this.apiKey, tools: this.options.tools ?? null, conversation: this.conversation });
    this.backend = backend;
    this.session = new VoiceSession({
      backend,
      mic,
      speaker,
      capture: this.settings.capture,
      keyProblem: this.keyProblem,
      conversation: this.conversation,
      emit: (event) => this.emit(event),
      log: this.options.log,
    });
    this.session.announce();
    const session = this.session;
    backend.connect().catch((error: unknown) => {
      if (this.session !== session) return; // replaced by newer settings meanwhile
      const failure = toUserFacingError(error);
      this.options.log(`connect failed: ${failure.message}`);
      session.connectFailed(failure);
    });
  }

  private async teardownSession(): Promise<void> {
    const session = this.session;
    const backend = this.backend;
    this.session = null;
    this.backend = null;
    this.speaker?.stop();
    session?.dispose();
    await backend?.dispose().catch((error: unknown) => this.options.log(`backend dispose failed: ${String(error)}`));
  }

  private async openDevices(): Promise<void> {
    this.mic = this.factory.createMicrophone(this.settings.inputDevice);
    this.speaker = this.factory.createSpeaker(this.settings.outputDevice);
    await Promise.all([this.warmOrCoolMic(), this.openQuietly(this.speaker)]);
  }

  private async warmOrCoolMic(): Promise<void> {
    if (!this.mic) return;
    if (this.settings.capture.keepMicWarm) await this.openQuietly(this.mic);
    else await this.mic.close().catch(() => undefined);
  }

  private async openQuietly(device: Microphone | Speaker): Promise<void> {
    try {
      await device.open();
    } catch (error) {
      this.emit(toUserFacingError(error).toEvent());
    }
  }

  private async closeDevices(): Promise<void> {
    const devices = [this.mic, this.speaker];
    this.mic = null;
    this.speaker = null;
    await Promise.all(devices.map((device) => device?.dispose().catch(() => undefined)));
  }

  private emit(event: EngineEvent): void {
    if (event.type === 'state') this.currentState = event.state;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.log(`event listener failed: ${String(error)}`);
      }
    }
  }
}
