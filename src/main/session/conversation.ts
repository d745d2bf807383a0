import { applyToolEvent, type ConversationLine } from '../../shared/conversation';
import type { ToolEvent, TranscriptEvent } from '../../shared/engine-events';
import { cutAtWord } from '../../shared/word-cut';
import { SAMPLES_PER_MS, type HeardAudio } from '../audio/pcm-format';
import type { BackendEvent, ConversationView } from '../backends/voice-backend';

export type { ConversationView } from '../backends/voice-backend';

/** The backend events that change the conversation. */
export type ConversationEvent = Extract<
  BackendEvent,
  { type: 'user-turn' | 'user-transcript' | 'user-transcript-done' | 'assistant-text' | 'assistant-text-done' | 'assistant-text-heard' | 'assistant-audio' | 'response-done' }
>;


/** A long day stays in memory up to here; the history file keeps everything. */
const KEPT_LINES = 1000;

/**
 * The one conversation of the engine: every turn's words, what of each reply was heard, and
 * the tool calls, in the order they happened. The session writes to it as backend events
 * arrive and it reports each change as a transcript event; backends read it to carry the
 * conversation over (a renewed Realtime session, the chat-audio history); the window's
 * snapshot is its `lines`. It outlives sessions and backends, so a settings change keeps it.
 */
export class Conversation implements ConversationView {
  private list: ConversationLine[] = [];
  private readonly byId = new Map<string, ConversationLine>();
  /** 24 kHz samples of each reply's audio received so far: for the proportional cut, and the Realtime truncate's limit. */
  private readonly audioSamples = new Map<string, number>();

  constructor(private readonly emit: (event: TranscriptEvent) => void) {}

  /** A snapshot: later changes do not reach lines already handed out. */
  get lines(): readonly ConversationLine[] {
    return this.list.map((line) => ({ ...line }));
  }

  audioMsReceived(itemId: string): number {
    return Math.floor((this.audioSamples.get(itemId) ?? 0) / SAMPLES_PER_MS);
  }

  /** Folds in what the backend reported: the user's turn and words, the reply's words and audio, the end of a response. Other events change nothing. */
  apply(event: BackendEvent): void {
    switch (event.type) {
      case 'user-turn':
        return this.addUserTurn(event.itemId, event.clipMs);
      // Words for a turn the conversation does not hold belong to one cleared meanwhile.
      case 'user-transcript':
        return void (this.byId.has(event.itemId) && this.appendText(event.itemId, 'user', event.delta));
      case 'user-transcript-done':
        return void (this.byId.has(event.itemId) && this.finishText(event.itemId, 'user', event.text));
      case 'assistant-text':
        return this.appendText(event.itemId, 'assistant', event.delta);
      case 'assistant-text-done':
        return this.finishText(event.itemId, 'assistant', event.text);
      case 'assistant-text-heard':
        return this.setHeard(event.itemId, event.text);
      case 'assistant-audio':
        this.line(event.itemId, 'assistant');
        this.audioSamples.set(event.itemId, (this.audioSamples.get(event.itemId) ?? 0) + event.pcm.length);
        return;
      case 'response-done':
        return this.finishResponse(event.status);
    }
  }

  /**
   * Cuts the reply being played to what the user heard. The words are spread over the item's
   * audio in proportion, which is as close as the Realtime protocol allows: transcript deltas
   * run ahead of playback and carry no timing.
   */
  markInterrupted(heard: HeardAudio | null): void {
    const target = heard ? this.byId.get(heard.itemId) : this.latestOpenReply();
    if (!target || target.role !== 'assistant' || target.interrupted) return;
    if (target.final && !heard) return;
    target.interrupted = true;
    target.final = true;
    const samples = this.audioSamples.get(target.itemId) ?? 0;
    if (heard && samples > 0) {
      target.text = cutAtWord(target.text, Math.min(1, (heard.audioEndMs * SAMPLES_PER_MS) / samples));
    } else if (!heard && samples > 0) {
      // Its audio had arrived but none had played: the user heard none of it.
      target.text = '';
    }
    // A reply with no audio at all (chat-audio without speech) was read, not heard: it stays.
    this.publish(target);
  }

  /** A tool call's step; the engine reports the tool event itself. */
  applyTool(event: ToolEvent): void {
    const itemId = `tool:${event.callId}`;
    const [line] = applyToolEvent([], event);
    const existing = this.byId.get(itemId);
    if (existing) Object.assign(existing, line);
    else if (line) this.add(line);
  }

  /** Starts again from `lines` (a continued conversation), or from nothing. */
  replace(lines: readonly ConversationLine[] = []): void {
    this.list = [];
    this.byId.clear();
    this.audioSamples.clear();
    for (const line of lines) this.add({ ...line });
  }

  /** The backend knows exactly what was heard (chat-audio, sentence by sentence): keep that, not the proportional cut. */
  private setHeard(itemId: string, text: string): void {
    const line = this.byId.get(itemId);
    if (!line) return;
    Object.assign(line, { text, final: true, interrupted: true });
    this.publish(line);
  }

  /** The response ended; replies still open are final now. */
  private finishResponse(status: 'completed' | 'cancelled' | 'incomplete' | 'failed'): void {
    const replies = this.list.filter((line) => line.role === 'assistant');
    const newest = replies.at(-1);
    if (status === 'incomplete' && newest && !newest.interrupted) {
      // The server's length limit ended the reply: say so on its newest line, final or not.
      newest.cutOff = true;
      newest.final = true;
      this.publish(newest);
    }
    for (const line of replies) {
      if (line.final) continue;
      line.final = true;
      if (status === 'cancelled') line.interrupted = true;
      this.publish(line);
    }
  }

  private addUserTurn(itemId: string, clipMs: number): void {
    const line = this.line(itemId, 'user');
    line.clipMs = clipMs;
    this.publish(line);
  }

  private appendText(itemId: string, role: 'user' | 'assistant', delta: string): void {
    const line = this.line(itemId, role);
    if (line.final || line.interrupted || !delta) return;
    line.text += delta;
    this.publish(line);
  }

  /** An empty reply text keeps what streamed (a server may send none at the end); a user's words replace the clip. */
  private finishText(itemId: string, role: 'user' | 'assistant', text: string): void {
    const line = this.line(itemId, role);
    if (line.interrupted) return;
    line.text = role === 'assistant' ? text || line.text : text;
    line.final = true;
    this.publish(line);
  }

  private latestOpenReply(): ConversationLine | undefined {
    return this.list.findLast((line) => line.role === 'assistant' && !line.final);
  }

  private line(itemId: string, role: 'user' | 'assistant'): ConversationLine {
    return this.byId.get(itemId) ?? this.add({ itemId, role, text: '', final: false, interrupted: false });
  }

  private add(line: ConversationLine): ConversationLine {
    this.list.push(line);
    this.byId.set(line.itemId, line);
    if (this.list.length > KEPT_LINES) {
      const dropped = this.list.splice(0, this.list.length - KEPT_LINES);
      for (const old of dropped) {
        this.byId.delete(old.itemId);
        this.audioSamples.delete(old.itemId);
      }
    }
    return line;
  }

  private publish(line: ConversationLine): void {
    if (line.role === 'tool') return;
    this.emit({
      type: 'transcript',
      role: line.role,
      itemId: line.itemId,
      text: line.text,
      final: line.final,
      ...(line.interrupted ? { interrupted: true } : {}),
      ...(line.cutOff ? { cutOff: true } : {}),
      ...(line.clipMs !== undefined && line.text === '' ? { clipMs: line.clipMs } : {}),
    });
  }
}
