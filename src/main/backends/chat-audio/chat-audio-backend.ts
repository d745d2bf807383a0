import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { toUserFacingError } from '../../user-facing-error';
import { BACKEND_SAMPLE_RATE, type BackendEvent, type BackendListener, type HeardAudio, type VoiceBackend } from '../voice-backend';
import { transcribeClip } from './audio-endpoints';
import type { ChatAudioBackendOptions, TurnTiming } from './chat-audio-options';
import { transcriptionFailedError } from './chat-audio-errors';
import { ChatHistory } from './chat-history';
import { ChatToolRounds } from './chat-tool-rounds';
import { RequestCancelled, ChatServer } from './chat-server';
import { ResampledClip } from './resampled-clip';
import { heardText, type ResponseRun } from './response-run';
import { SpokenReply } from './spoken-reply';
import { encodeWav } from './wav-encoder';

/** Audio chat models (Ultravox, Qwen2-Audio, Whisper encoders) all work at 16 kHz. */
const CLIP_SAMPLE_RATE = 16_000;
export type { ChatAudioBackendOptions, TurnTiming } from './chat-audio-options';

/**
 * Push-to-talk over an OpenAI-compatible /chat/completions endpoint that takes audio input
 * (vLLM with Ultravox, Qwen2-Audio, …). Each turn is one streamed request carrying the clip as
 * a WAV plus the history; the server keeps no conversation of its own.
 */
export class ChatAudioBackend implements VoiceBackend {
  private readonly connection: ChatServer;
  private readonly history: ChatHistory;
  private readonly rounds: ChatToolRounds;
  private readonly listeners = new Set<BackendListener>();
  private readonly background = new Set<AbortController>();
  private model: string | null;
  private recording: ResampledClip | null = null;
  private encoding: Promise<unknown> = Promise.resolve();
  private active: ResponseRun | null = null;
  /** The last spoken reply after its response-done: its audio may still be playing, and a barge-in must still trim it. */
  private lastSpoken: ResponseRun | null = null;
  private retryable: { userItemId: string; clip: Promise<void> } | null = null;
  /**
   * Item ids are this backend's own: a tag per instance keeps them apart from the turns of an
   * earlier backend (a settings change) or an earlier run (a continued conversation), whose
   * lines sit in the same conversation and the same history file.
   */
  private readonly idTag = randomBytes(4).toString('hex');
  private userCount = 0;
  private assistantCount = 0;
  private timing: TurnTiming | null = null;
  private disposed = false;
  private ready = false;

  constructor(private readonly options: ChatAudioBackendOptions) {
    this.connection = new ChatServer({
      baseUrl: options.url,
      apiKey: options.apiKey,
      fetch: options.fetch ?? globalThis.fetch,
      requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    });
    this.history = new ChatHistory({ historyClips: options.historyClips ?? 3, audioPart: options.audioPart, conversation: options.conversation });
    this.model = options.model.trim() || null;
    const { instructions, log } = options;
    this.rounds = new ChatToolRounds({ connection: this.connection, history: this.history, tools: options.tools ?? null, instructions, log });
  }

  get lastTurnTiming(): TurnTiming | null {
    return this.timing ? { ...this.timing } : null;
  }

  /** The model requests name: the configured one, or the server's first once known. */
  get resolvedModel(): string | null {
    return this.model;
  }

  on(listener: BackendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Rejects with the UserFacingError it also emits; a later turn that succeeds still reports ready. */
  async connect(): Promise<void> {
    this.emit({ type: 'connection', status: 'connecting' });
    try {
      this.model = await this.connection.chooseModel(this.options.model.trim());
    } catch (error) {
      // Reported by rejecting only: the engine turns it into the one error event.
      throw toUserFacingError(error);
    }
    this.markReady();
  }

  /** A reply in progress was already interrupted by the session (a press interrupts first). */
  startTurn(): void {
    this.recording?.discard();
    this.recording = new ResampledClip(BACKEND_SAMPLE_RATE, CLIP_SAMPLE_RATE);
  }

  appendAudio(pcm: Int16Array): void {
    this.recording?.append(pcm);
  }

  cancelTurn(): void {
    this.recording?.discard();
    this.recording = null;
  }

  finishTurn(): void {
    const recording = this.recording;
    this.recording = null;
    if (!recording || this.disposed) {
      recording?.discard();
      return;
    }
    // A new question supersedes a failed one: retry is for the latest turn only.
    this.retryable = null;
    const userItemId = `user-${this.idTag}-${++this.userCount}`;
    this.timing = { userItemId, finishTurnAt: performance.now(), requestStartAt: null, requestBytes: null };
    const clipMs = Math.round((recording.inputSamples * 1000) / BACKEND_SAMPLE_RATE);
    this.emit({ type: 'user-turn', itemId: userItemId, clipMs });
    const resampled = recording.finish();
    resampled.catch(() => undefined); // seen by the chain below; this only marks it handled meanwhile
    // Chained so clips enter the history in the order they were spoken.
    const clip = this.encoding.then(async () => this.addClip(userItemId, await resampled));
    this.encoding = clip.catch(() => undefined);
    void this.respond(userItemId, clip);
  }

  interrupt(heard: HeardAudio | null): void {
    const stillPlaying = heard && this.lastSpoken?.assistantItemId === heard.itemId ? this.lastSpoken : null;
    const run = this.active ?? stillPlaying;
    this.lastSpoken = null;
    if (!run) return;
    const wasActive = run === this.active;
    if (wasActive) {
      this.active = null;
      run.cancelled = true;
      run.controller.abort(); // the chat stream and every speech request in flight
    }
    this.history.setReply(run.userItemId, { itemId: run.assistantItemId, start: run.replyStart });
    // The conversation keeps what was heard, and the next request reads it from there.
    if (run.speech?.hasAudio) this.emit({ type: 'assistant-text-heard', itemId: run.assistantItemId, text: heardText(run, heard) });
    this.options.log(`chat-audio: reply ${run.assistantItemId} interrupted${heard ? ` after ${heard.audioEndMs} ms of speech` : ''}`);
    if (wasActive) this.emit({ type: 'response-done', status: 'cancelled' });
  }

  retryLastTurn(): boolean {
    const target = this.retryable;
    if (!target || this.active || this.disposed) return false;
    this.retryable = null;
    void this.respond(target.userItemId, target.clip);
    return true;
  }

  /** The server keeps nothing: the clips go, and the next request carries the conversation's words as they are now. */
  replaceConversation(): void {
    this.interrupt(null);
    this.lastSpoken = null;
    this.history.clear();
    this.retryable = null;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.interrupt(null);
    this.cancelTurn();
    this.disposed = true;
    for (const controller of this.background) controller.abort();
    this.background.clear();
    this.emit({ type: 'connection', status: 'closed' });
    this.listeners.clear();
  }

  private addClip(userItemId: string, clip16k: Int16Array): void {
    const wav = encodeWav(clip16k, CLIP_SAMPLE_RATE);
    this.history.addUserTurn({ itemId: userItemId, wavBase64: wav.toString('base64') });
    if (this.options.transcriptionModel.trim()) void this.transcribe(userItemId, wav);
  }

  private async respond(userItemId: string, clip: Promise<void>): Promise<void> {
    const run: ResponseRun = {
      userItemId,
      assistantItemId: `assistant-${this.idTag}-${++this.assistantCount}`,
      controller: new AbortController(),
      text: '',
      replyStart: 0,
      cancelled: false,
      speech: null,
    };
    if (this.options.speech.enabled) run.speech = this.startSpeaking(run);
    this.active = run;
    this.lastSpoken = null;
    // Started at once, like a Realtime response on commit, so every turn ends in exactly one response-done.
    this.emit({ type: 'response-started' });
    try {
      await clip;
      const model = await this.ensureModel(run.controller.signal);
      if (run.cancelled) return;
      const end = await this.rounds.answer({ model, userItemId, signal: run.controller.signal }, {
        onFirstRequest: (bytes) => {
          if (this.timing?.userItemId === userItemId) Object.assign(this.timing, { requestStartAt: performance.now(), requestBytes: bytes });
        },
        onResponse: () => this.markReady(),
        onDelta: (delta) => {
          if (run.cancelled) return;
          run.text += delta;
          this.emit({ type: 'assistant-text', itemId: run.assistantItemId, delta });
          run.speech?.write(delta);
        },
        onCallsRequested: () => run.speech?.flush(),
        onToolsRefused: (error) => this.emit({ type: 'error', error }),
        onRoundKept: () => (run.replyStart = run.text.length),
      });
      const finishReason = end.kind === 'answered' ? end.finishReason : null;
      if (run.cancelled) return;
      this.history.setReply(userItemId, { itemId: run.assistantItemId, start: run.replyStart });
      this.emit({ type: 'assistant-text-done', itemId: run.assistantItemId, text: run.text });
      await run.speech?.finish();
      if (run.cancelled) return;
      this.active = null;
      if (run.speech?.hasAudio) this.lastSpoken = run;
      // `length`: the server's token limit ended the answer; the window marks it cut off.
      if (finishReason === 'length') this.options.log(`chat-audio: reply ${run.assistantItemId} cut off at the server's length limit`);
      if (end.kind === 'call-cancelled') this.options.log(`chat-audio: ${end.tool} was cancelled; the turn ends without an answer`);
      this.emit({ type: 'response-done', status: end.kind === 'call-cancelled' ? 'cancelled' : finishReason === 'length' ? 'incomplete' : 'completed' });
    } catch (error) {
      if (run.cancelled || error instanceof RequestCancelled) return;
      this.active = null;
      run.controller.abort(); // no more sentences of a reply that failed
      this.history.setReply(userItemId, { itemId: run.assistantItemId, start: run.replyStart });
      // Only a clip that made it into the history can be sent again.
      if (this.history.hasTurn(userItemId)) this.retryable = { userItemId, clip };
      const failure = toUserFacingError(error);
      this.options.log(`chat-audio: turn ${userItemId} failed (${failure.code}): ${failure.message}`);
      this.emit({ type: 'error', error: failure });
      this.emit({ type: 'response-done', status: 'failed' });
    }
  }

  /** Speaks the reply sentence by sentence as it streams; a failed sentence is reported once per reply and skipped. */
  private startSpeaking(run: ResponseRun): SpokenReply {
    const { model, voice } = this.options.speech;
    return new SpokenReply({
      connection: this.connection,
      model,
      voice,
      signal: run.controller.signal,
      onAudio: (pcm) => {
        if (!run.cancelled) this.emit({ type: 'assistant-audio', itemId: run.assistantItemId, pcm });
      },
      onFailure: (error) => this.emit({ type: 'error', error }),
      log: this.options.log,
    });
  }

  private async transcribe(userItemId: string, wav: Buffer): Promise<void> {
    const controller = new AbortController();
    this.background.add(controller);
    try {
      const words = await transcribeClip(this.connection, this.options.transcriptionModel.trim(), wav, controller.signal);
      if (!words || !this.history.hasTurn(userItemId) || this.disposed) return;
      this.emit({ type: 'user-transcript-done', itemId: userItemId, text: words });
    } catch (error) {
      if (error instanceof RequestCancelled || this.disposed) return;
      const failure = toUserFacingError(error);
      this.options.log(`chat-audio: transcription of ${userItemId} failed (${failure.code}): ${failure.message}`);
      this.emit({ type: 'error', error: transcriptionFailedError(failure) });
    } finally {
      this.background.delete(controller);
    }
  }

  private async ensureModel(signal: AbortSignal): Promise<string> {
    this.model ??= await this.connection.chooseModel('', signal);
    return this.model;
  }

  /** The server is stateless: any answered turn proves it is there, even after a failed connect(). */
  private markReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.emit({ type: 'connection', status: 'ready' });
  }

  private emit(event: BackendEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.options.log(`chat-audio: a listener threw on ${event.type}: ${String(error)}`);
      }
    }
  }
}

