import type { EngineEvent } from '../../shared/engine-events';
import type { HeardAudio } from '../backends/voice-backend';

interface Reply {
  itemId: string;
  text: string;
  final: boolean;
  interrupted: boolean;
  cutOff: boolean;
  /** 24 kHz samples of this item's audio received so far. */
  audioSamples: number;
}

/**
 * The assistant's side of the transcript. Backends hand over text as deltas; the window
 * and the headless stream always get the whole text so far. When the user interrupts, the
 * line is cut to what was heard: the words are spread over the item's audio in proportion,
 * which is as close as the protocol allows, since transcript deltas run ahead of playback
 * and carry no timing.
 */
export class AssistantReplies {
  private readonly replies = new Map<string, Reply>();
  private readonly order: string[] = [];

  constructor(private readonly emit: (event: EngineEvent) => void) {}

  appendText(itemId: string, delta: string): void {
    const reply = this.reply(itemId);
    if (reply.final || reply.interrupted) return;
    reply.text += delta;
    this.publish(reply);
  }

  finishText(itemId: string, text: string): void {
    const reply = this.reply(itemId);
    if (reply.interrupted) return;
    reply.text = text || reply.text;
    reply.final = true;
    this.publish(reply);
  }

  noteAudio(itemId: string, samples: number): void {
    this.reply(itemId).audioSamples += samples;
  }

  /** Cut the reply being played to what the user heard. */
  markInterrupted(heard: HeardAudio | null): void {
    const target = heard ? this.replies.get(heard.itemId) : this.latestOpen();
    if (!target || target.interrupted) return;
    if (target.final && !heard) return;
    target.interrupted = true;
    target.final = true;
    if (heard && target.audioSamples > 0) {
      const heardShare = Math.min(1, (heard.audioEndMs * 24) / target.audioSamples);
      target.text = cutAtWord(target.text, heardShare);
    } else if (!heard && target.audioSamples > 0) {
      // Its audio had arrived but none had played: the user heard none of it.
      target.text = '';
    }
    // A reply with no audio at all (chat-audio without speech) was read, not heard: it stays.
    this.publish(target);
  }

  /** The backend knows exactly what was heard (chat-audio, sentence by sentence): show that, not the proportional cut. */
  showHeard(itemId: string, text: string): void {
    const reply = this.replies.get(itemId);
    if (!reply) return;
    Object.assign(reply, { text, final: true, interrupted: true });
    this.publish(reply);
  }

  /** The response ended; lines still open are final now. */
  finishResponse(status: 'completed' | 'cancelled' | 'incomplete' | 'failed'): void {
    if (status === 'incomplete') {
      // The server's length limit ended the reply: say so on its newest line, final or not.
      const newest = this.replies.get(this.order.at(-1) ?? '');
      if (newest && !newest.interrupted) {
        newest.cutOff = true;
        newest.final = true;
        this.publish(newest);
      }
    }
    for (const itemId of this.order) {
      const reply = this.replies.get(itemId);
      if (!reply || reply.final) continue;
      reply.final = true;
      if (status === 'cancelled') reply.interrupted = true;
      this.publish(reply);
    }
  }

  clear(): void {
    this.replies.clear();
    this.order.length = 0;
  }

  private latestOpen(): Reply | undefined {
    for (let i = this.order.length - 1; i >= 0; i--) {
      const reply = this.replies.get(this.order[i]!);
      if (reply && !reply.final) return reply;
    }
    return undefined;
  }

  private reply(itemId: string): Reply {
    let reply = this.replies.get(itemId);
    if (!reply) {
      reply = { itemId, text: '', final: false, interrupted: false, cutOff: false, audioSamples: 0 };
      this.replies.set(itemId, reply);
      this.order.push(itemId);
      // Old replies are never touched again; keep memory flat over a long day.
      if (this.order.length > 64) this.replies.delete(this.order.shift()!);
    }
    return reply;
  }

  private publish(reply: Reply): void {
    this.emit({
      type: 'transcript',
      role: 'assistant',
      itemId: reply.itemId,
      text: reply.text,
      final: reply.final,
      ...(reply.interrupted ? { interrupted: true } : {}),
      ...(reply.cutOff ? { cutOff: true } : {}),
    });
  }
}

/** The first `share` of the text, ending on a whole word. */
export function cutAtWord(text: string, share: number): string {
  if (share >= 1) return text;
  const cut = Math.floor(text.length * share);
  const lastSpace = text.lastIndexOf(' ', cut);
  return (lastSpace > 0 ? text.slice(0, lastSpace) : text.slice(0, cut)).trimEnd();
}
