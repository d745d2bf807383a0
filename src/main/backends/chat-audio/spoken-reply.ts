import { toUserFacingError, type UserFacingError } from '../../user-facing-error';
import { speakReply } from './audio-endpoints';
import { speechFailedError } from './chat-audio-errors';
import { SentenceSplitter } from './sentence-splitter';
import type { ChatServer } from './chat-server';
import { cutAtWord } from '../../../shared/word-cut';

/** Two overlap one sentence's download with the next one's wait for its first byte; more only loads the server. */
const MAX_SPEECH_REQUESTS_IN_FLIGHT = 2;

interface SpokenSentence {
  /** Exactly as it appeared in the reply, white space included, so the heard text is a prefix of what was shown. */
  text: string;
  state: 'waiting' | 'requested' | 'done' | 'failed';
  /** Audio that arrived before its turn to play. */
  held: Int16Array[];
  /** 24 kHz samples handed on to be played. */
  samples: number;
}

export interface SpokenReplyOptions {
  connection: ChatServer;
  model: string;
  voice: string;
  /** Aborting it (barge-in, a failed reply) aborts every speech request in flight. */
  signal: AbortSignal;
  /** Audio to play, in the reply's order. */
  onAudio: (pcm: Int16Array) => void;
  /** The first failed speech request of this reply; later ones are only logged. */
  onFailure: (error: UserFacingError) => void;
  log: (message: string) => void;
}

/**
 * Speaks a reply while it is still streaming: each sentence goes to /audio/speech as soon as
 * it is complete, at most two at a time, and their audio is handed on strictly in order. A
 * sentence's audio streams straight through while it is the one playing; a later sentence's
 * audio is held until the ones before it are done, then handed on at once, so playback has
 * no gap when it arrived in time.
 */
export class SpokenReply {
  private readonly splitter = new SentenceSplitter();
  private readonly sentences: SpokenSentence[] = [];
  /** The sentence whose audio is being handed on; everything before it is done or failed. */
  private current = 0;
  private inFlight = 0;
  private ended = false;
  private failureReported = false;
  private settled: (() => void) | null = null;
  private readonly finished = new Promise<void>((resolve) => (this.settled = resolve));

  constructor(private readonly options: SpokenReplyOptions) {
    options.signal.addEventListener('abort', () => this.settled?.(), { once: true });
  }

  /** A piece of the streamed reply text. */
  write(delta: string): void {
    for (const sentence of this.splitter.push(delta)) this.add(sentence);
  }

  /** The model stopped to call tools: what it said so far is whole, so it is spoken now rather than after them. */
  flush(): void {
    for (const sentence of this.splitter.end()) this.add(sentence);
  }

  /** The text stream ended; resolves once every sentence was spoken or skipped (or on abort). */
  async finish(): Promise<void> {
    for (const sentence of this.splitter.end()) this.add(sentence);
    this.ended = true;
    this.advance();
    await this.finished;
  }

  /** Whether any audio was handed on: if not, the user heard nothing and read the text instead. */
  get hasAudio(): boolean {
    return this.sentences.some((sentence) => sentence.samples > 0);
  }

  /**
   * The words heard after `playedSamples` of this reply's audio had played: the sentences
   * played whole, any sentence before that point whose speech failed (it stayed on screen),
   * and the played share of the current sentence, cut at a word.
   */
  heardText(playedSamples: number): string {
    let remaining = playedSamples;
    let heard = '';
    for (const sentence of this.sentences) {
      const whole = sentence.state === 'failed' || sentence.state === 'done';
      if (whole && remaining >= sentence.samples) {
        heard += sentence.text;
        remaining -= sentence.samples;
        continue;
      }
      // While a sentence is still downloading its length is not known; the audio so far is
      // the best measure, and it is all there almost always: speech downloads faster than it plays.
      if (sentence.samples > 0) heard += cutAtWord(sentence.text, remaining / sentence.samples);
      break;
    }
    return heard.trimEnd();
  }

  private add(text: string): void {
    if (this.options.signal.aborted) return;
    // Nothing to say in "---" or a code fence; a speech endpoint may refuse such input outright.
    const speakable = /[\p{L}\p{N}]/u.test(text);
    this.sentences.push({ text, state: speakable ? 'waiting' : 'done', held: [], samples: 0 });
    this.startRequests();
  }

  private startRequests(): void {
    for (const sentence of this.sentences) {
      if (this.inFlight >= MAX_SPEECH_REQUESTS_IN_FLIGHT || this.options.signal.aborted) return;
      if (sentence.state === 'waiting') void this.request(sentence);
    }
  }

  private async request(sentence: SpokenSentence): Promise<void> {
    sentence.state = 'requested';
    this.inFlight += 1;
    const { connection, model, voice, signal } = this.options;
    try {
      await speakReply(connection, { model, voice, text: sentence.text.trim() }, signal, (pcm) => this.receive(sentence, pcm));
      sentence.state = 'done';
    } catch (error) {
      sentence.state = 'failed';
      sentence.held = [];
      if (!signal.aborted) this.reportFailure(toUserFacingError(error));
    } finally {
      this.inFlight -= 1;
    }
    this.advance();
    this.startRequests();
  }

  private receive(sentence: SpokenSentence, pcm: Int16Array): void {
    if (this.options.signal.aborted) return;
    if (sentence === this.sentences[this.current]) this.handOn(sentence, pcm);
    else sentence.held.push(pcm);
  }

  /** Moves past finished sentences, handing on what the next one has held meanwhile. */
  private advance(): void {
    if (this.options.signal.aborted) return;
    for (;;) {
      const sentence = this.sentences[this.current];
      if (!sentence) break;
      for (const pcm of sentence.held.splice(0)) this.handOn(sentence, pcm);
      if (sentence.state !== 'done' && sentence.state !== 'failed') return;
      this.current += 1;
    }
    if (this.ended) this.settled?.();
  }

  private handOn(sentence: SpokenSentence, pcm: Int16Array): void {
    sentence.samples += pcm.length;
    this.options.onAudio(pcm);
  }

  private reportFailure(failure: UserFacingError): void {
    this.options.log(`chat-audio: speaking a sentence failed (${failure.code}): ${failure.message}`);
    if (this.failureReported) return;
    this.failureReported = true;
    this.options.onFailure(speechFailedError(failure));
  }
}
