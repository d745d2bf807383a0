import type { EngineEvent, ErrorEvent, ToolEvent, TranscriptEvent } from '../../shared/engine-events';
import type { ConversationStore, LineInput } from './conversation-store';
import type { MessageText } from '../user-facing-error';
import { HistoryError } from './history-error';

export interface HistoryRecorderDeps {
  store: ConversationStore;
  /** The engine's event stream (EngineApi.onEvent); returns the unsubscribe function. */
  subscribe: (listener: (event: EngineEvent) => void) => () => void;
  /** The "Keep history" setting: off means nothing is written. */
  keepHistory: boolean;
  /** A sentence for the user when saving fails (with its key, when it has one); said once until saving works again. */
  onNotice?: (sentence: string, text?: MessageText) => void;
  /** A streaming line is written at least this often. */
  streamingWriteMs?: number;
  /** How long after the last final line the file is forced to disk. */
  diskFlushMs?: number;
  now?: () => number;
}

interface PendingLine extends LineInput {
  at: number;
  lastWrittenAt: number;
  dirty: boolean;
}

/** Enough for the lines a turn can still touch; older ones are never updated again. */
const REMEMBERED_LINES = 64;

/**
 * Writes the conversation to the store as the engine reports it. A line is written when it
 * first appears (which fixes its place: a question sits above its answer even when its words
 * arrive later), when it becomes final or interrupted, and while it streams at least once per
 * `streamingWriteMs`, so a kill -9 loses at most a second of a reply and leaves it marked
 * incomplete. Saving never throws into the engine: failures become one notice and are retried.
 */
export class HistoryRecorder {
  readonly #deps: HistoryRecorderDeps;
  readonly #unsubscribe: () => void;
  readonly #lines = new Map<string, PendingLine>();
  #keepHistory: boolean;
  #conversationId: number | null = null;
  #streamingTimer: NodeJS.Timeout | null = null;
  #diskTimer: NodeJS.Timeout | null = null;
  /** The kind of the last failure, until a write succeeds again. */
  #lastNotice: HistoryError['kind'] | null = null;
  #errorCount = 0;

  constructor(deps: HistoryRecorderDeps) {
    this.#deps = deps;
    this.#keepHistory = deps.keepHistory;
    // Lines still streaming in the file belong to a Parley that died mid-reply.
    this.#attempt(() => deps.store.markStreamingIncomplete());
    this.#unsubscribe = deps.subscribe((event) => this.#onEvent(event));
  }

  /** The conversation new lines go to; null until the first line of a new one. */
  get conversationId(): number | null {
    return this.#conversationId;
  }

  setKeepHistory(keep: boolean): void {
    if (keep === this.#keepHistory) return;
    this.#keepHistory = keep;
    if (!keep) this.startNewConversation();
  }

  /** The window cleared the conversation: the next line starts a new one. Pending text is written first. */
  startNewConversation(): void {
    if (this.#keepHistory) this.flush();
    this.#clearTimer();
    this.#lines.clear();
    this.#conversationId = null;
  }

  /** New lines go on at the end of conversation `id`. Throws HistoryError when the conversation is gone. */
  continueConversation(id: number): void {
    this.#deps.store.get(id);
    this.startNewConversation();
    this.#conversationId = id;
  }

  /** Writes every line whose latest text is not stored yet. */
  flush(): void {
    for (const line of this.#lines.values()) if (line.dirty) this.#write(line);
  }

  dispose(): void {
    this.#unsubscribe();
    // Quitting mid-reply cuts it off: what was said so far is stored as incomplete.
    for (const line of this.#lines.values()) {
      if (line.status === 'streaming' && this.#keepHistory) {
        line.status = 'incomplete';
        this.#write(line);
      }
    }
    this.flush();
    this.#clearTimer();
    if (this.#diskTimer) clearTimeout(this.#diskTimer);
    this.#diskTimer = null;
    this.#deps.store.flushToDisk();
  }

  #onEvent(event: EngineEvent): void {
    if (!this.#keepHistory) return;
    if (event.type === 'transcript') this.#onTranscript(event);
    else if (event.type === 'error') this.#onError(event);
    // A tool event without its call id cannot be told apart from another call's: it is not kept.
    else if (event.type === 'tool' && typeof event.callId === 'string') this.#onTool(event);
  }

  #onTranscript(event: TranscriptEvent): void {
    const previous = this.#lines.get(event.itemId);
    const interrupted = event.interrupted === true || previous?.status === 'interrupted';
    const detail = event.clipMs !== undefined ? { clipMs: event.clipMs } : previous?.detail;
    this.#update({
      key: event.itemId,
      role: event.role,
      text: event.text,
      status: interrupted ? 'interrupted' : event.final ? 'final' : 'streaming',
      ...(detail ? { detail } : {}),
    });
    if (event.role === 'assistant' && (event.final || interrupted)) this.#settleUntranscribedClips();
  }

  /**
   * A clip sent without a transcription model never gets words, so its line would stay
   * streaming and later read as cut off. Once the reply to it is done, the turn is complete;
   * words that still arrive afterwards simply update the line.
   */
  #settleUntranscribedClips(): void {
    for (const line of this.#lines.values()) {
      if (line.role === 'user' && line.status === 'streaming' && line.text === '') {
        line.status = 'final';
        this.#write(line);
      }
    }
  }

  #onTool(event: ToolEvent): void {
    const { callId, name, server, status, arguments: args, result } = event;
    this.#update({
      key: `tool:${callId}`,
      role: 'tool',
      text: server ? `${server}.${name}` : name,
      status: status === 'running' ? 'streaming' : 'final',
      detail: { callId, name, ...(server ? { server } : {}), toolStatus: status, arguments: args, ...(result === undefined ? {} : { result }) },
    });
  }

  #onError(event: ErrorEvent): void {
    // An error outside a conversation (no microphone at start-up, say) is not part of one.
    if (this.#conversationId === null) return;
    this.#errorCount += 1;
    this.#update({ key: `error:${this.#now()}-${this.#errorCount}`, role: 'error', text: event.message, status: 'final', detail: { code: event.code } });
  }

  #update(input: LineInput): void {
    const now = this.#now();
    const previous = this.#lines.get(input.key);
    const line: PendingLine = { ...input, at: previous?.at ?? now, lastWrittenAt: previous?.lastWrittenAt ?? 0, dirty: true };
    this.#lines.set(input.key, line);
    if (this.#lines.size > REMEMBERED_LINES) this.#lines.delete(this.#lines.keys().next().value!);
    if (!previous || line.status !== 'streaming' || now - line.lastWrittenAt >= this.#streamingWriteMs) this.#write(line);
    else this.#scheduleStreamingWrite(line.lastWrittenAt + this.#streamingWriteMs - now);
  }

  #write(line: PendingLine): void {
    const saved = this.#attempt(() => {
      this.#conversationId ??= this.#deps.store.createConversation(line.at);
      this.#deps.store.saveLine(this.#conversationId, line, line.at);
    });
    if (saved === 'missing') {
      // The conversation was deleted while it was being recorded: go on in a new one.
      this.#conversationId = null;
      this.#attempt(() => {
        this.#conversationId = this.#deps.store.createConversation(line.at);
        this.#deps.store.saveLine(this.#conversationId, line, line.at);
      });
    }
    if (this.#lastNotice === null) {
      line.dirty = false;
      line.lastWrittenAt = this.#now();
      if (line.status !== 'streaming') this.#scheduleDiskFlush();
    } else {
      this.#scheduleStreamingWrite(this.#streamingWriteMs); // retried: the disk may have room again
    }
  }

  /** Runs a store call; on failure says so once and returns the kind of failure. */
  #attempt(work: () => unknown): HistoryError['kind'] | null {
    try {
      work();
      this.#lastNotice = null;
      return null;
    } catch (error) {
      const sentence = error instanceof Error ? error.message : String(error);
      const kind = error instanceof HistoryError ? error.kind : 'other';
      if (kind === 'missing') return kind;
      // One notice per kind of trouble: every write failing for the same reason is one problem.
      if (kind !== this.#lastNotice) this.#deps.onNotice?.(sentence, error instanceof HistoryError ? error.text : undefined);
      this.#lastNotice = kind;
      return kind;
    }
  }

  #scheduleStreamingWrite(delayMs: number): void {
    if (this.#streamingTimer) return;
    this.#streamingTimer = setTimeout(() => {
      this.#streamingTimer = null;
      if (this.#keepHistory) this.flush();
    }, Math.max(0, delayMs));
  }

  #scheduleDiskFlush(): void {
    if (this.#diskTimer) clearTimeout(this.#diskTimer);
    this.#diskTimer = setTimeout(() => {
      this.#diskTimer = null;
      this.#deps.store.flushToDisk();
    }, this.#deps.diskFlushMs ?? 2000);
    this.#diskTimer.unref();
  }

  #clearTimer(): void {
    if (this.#streamingTimer) clearTimeout(this.#streamingTimer);
    this.#streamingTimer = null;
  }

  get #streamingWriteMs(): number {
    return this.#deps.streamingWriteMs ?? 1000;
  }

  #now(): number {
    return this.#deps.now?.() ?? Date.now();
  }
}
