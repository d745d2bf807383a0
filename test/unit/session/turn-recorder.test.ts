import { describe, expect, it } from 'vitest';
import { TurnRecorder, type FinishedTurn } from '../../../src/main/session/turn-recorder';

// Pure sample bookkeeping: frames are numbered ramps so every sample's origin is checkable.
const RATE = 24_000;
const FRAME = 480; // 20 ms

function frame(index: number): Int16Array {
  const pcm = new Int16Array(FRAME);
  for (let i = 0; i < FRAME; i++) pcm[i] = (index * FRAME + i) % 32_000;
  return pcm;
}

/** Frames `from` up to `to` as the mic's backlog hands them over at key-down. */
function before(from: number, to: number): { pcm: Int16Array; capturedAt: number } {
  const pcm = new Int16Array((to - from) * FRAME);
  for (let i = from; i < to; i++) pcm.set(frame(i), (i - from) * FRAME);
  return { pcm, capturedAt: to - 1 };
}

function setup(preRollMs: number, postRollMs: number) {
  const chunks: Int16Array[] = [];
  const timers: Array<() => void> = [];
  const recorder = new TurnRecorder({
    sampleRate: RATE,
    preRollMs,
    postRollMs,
    onAudio: (pcm) => chunks.push(pcm),
    setTimer: (callback) => {
      timers.push(callback);
      return { cancel: () => timers.splice(timers.indexOf(callback), 1) };
    },
  });
  const all = () => Int16Array.from(chunks.flatMap((chunk) => Array.from(chunk)));
  return { recorder, chunks, timers, all };
}

describe('TurnRecorder', () => {
  it('sends exactly the last pre-roll before key-down, then the held audio, then exactly the post-roll', () => {
    const { recorder, all } = setup(300, 250);
    recorder.begin(before(0, 40));
    for (let i = 40; i < 60; i++) recorder.pushFrames(frame(i), i);
    let done = false;
    recorder.end(() => (done = true));
    for (let i = 60; i < 80 && !done; i++) recorder.pushFrames(frame(i), i);

    const sent = all();
    const preRoll = (RATE * 300) / 1000;
    const postRoll = (RATE * 250) / 1000;
    expect(done).toBe(true);
    expect(sent.length).toBe(preRoll + 20 * FRAME + postRoll);
    const firstSample = 40 * FRAME - preRoll;
    for (let i = 0; i < sent.length; i += 97) expect(sent[i]).toBe((firstSample + i) % 32_000);
  });

  it('tells the finished turn how much audio went out, and whether the mic delivered after the key went down', () => {
    const { recorder, all } = setup(300, 250);
    let finished: FinishedTurn | null = null;
    recorder.begin(before(0, 40));
    for (let i = 40; i < 60; i++) recorder.pushFrames(frame(i), i);
    recorder.end((turn) => (finished = turn));
    for (let i = 60; i < 80 && !finished; i++) recorder.pushFrames(frame(i), i);
    expect(finished).toEqual({ liveAudio: true, samples: all().length });
  });

  it('the next turn counts from zero; with only its pre-roll sent, the mic delivered nothing live', () => {
    const { recorder, all } = setup(300, 0);
    const finished: FinishedTurn[] = [];
    recorder.begin(before(0, 40));
    recorder.pushFrames(frame(40), 40);
    recorder.end((turn) => finished.push(turn));
    const sentBefore = all().length;
    recorder.begin(before(100, 140));
    recorder.end((turn) => finished.push(turn));
    expect(finished).toEqual([
      { liveAudio: true, samples: sentBefore },
      { liveAudio: false, samples: (RATE * 300) / 1000 },
    ]);
    expect(all().length - sentBefore).toBe((RATE * 300) / 1000);
  });

  it('a press during the tail carries the samples on, and asks for live audio after that press', () => {
    const { recorder, timers } = setup(0, 250);
    let finished: FinishedTurn | null = null;
    recorder.begin();
    for (let i = 0; i < 10; i++) recorder.pushFrames(frame(i), i);
    recorder.end((turn) => (finished = turn));
    recorder.begin(); // the press during the tail
    recorder.end((turn) => (finished = turn), 9);
    expect(finished).toBeNull();
    // The mic delivers nothing more: the fallback ends the turn, with the frames from before that press only.
    timers.at(-1)?.();
    expect(finished).toEqual({ liveAudio: false, samples: 10 * FRAME });
  });

  it('hands out pieces no longer than 100 ms', () => {
    const { recorder, chunks } = setup(300, 0);
    recorder.begin(before(0, 40));
    recorder.end(() => undefined);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(RATE / 10);
  });

  it('carries the turn on when the key goes down again during the tail', () => {
    const { recorder, all } = setup(0, 200);
    recorder.begin();
    recorder.pushFrames(frame(0), 0);
    let finished = 0;
    recorder.end(() => finished++);
    recorder.pushFrames(frame(1), 1);
    recorder.begin();
    for (let i = 2; i < 30; i++) recorder.pushFrames(frame(i), i);
    expect(finished).toBe(0);
    recorder.end(() => finished++);
    for (let i = 30; i < 50; i++) recorder.pushFrames(frame(i), i);
    expect(finished).toBe(1);
    expect(all().length).toBe(30 * FRAME + (RATE * 200) / 1000);
  });

  it('finishes the tail by its fallback timer when the device stops delivering', () => {
    const { recorder, timers } = setup(0, 250);
    recorder.begin();
    let done = false;
    recorder.end(() => (done = true));
    expect(timers).toHaveLength(1);
    timers[0]!();
    expect(done).toBe(true);
    expect(recorder.isRecording).toBe(false);
  });

  it('sends no pre-roll when the mic had nothing before the key', () => {
    const { recorder, all } = setup(300, 0);
    recorder.begin({ pcm: new Int16Array(0), capturedAt: 0 });
    recorder.pushFrames(frame(7), 7);
    recorder.end(() => undefined);
    expect(all()).toEqual(frame(7));
  });

  describe('ends the post-roll when the speech has ended', () => {
    const quiet = (n: number) => new Int16Array(n); // a silent room
    const speech = (n: number) => Int16Array.from({ length: n }, (_, i) => 3_000 + (i % 400) * 40); // loud

    it('commits at once when the audio was already quiet at key-up', () => {
      const { recorder, all } = setup(0, 250);
      recorder.begin();
      recorder.pushFrames(speech(FRAME), 10);
      recorder.pushFrames(quiet(RATE * 0.15), 20); // the last word ended 150 ms ago
      let done = false;
      recorder.end(() => (done = true), 20);
      expect(done).toBe(true);
      expect(all().length).toBe(FRAME + RATE * 0.15);
    });

    it('waits for audio that reaches the key-up before judging', () => {
      const { recorder } = setup(0, 250);
      recorder.begin();
      recorder.pushFrames(speech(FRAME), 10);
      recorder.pushFrames(quiet(RATE * 0.15), 20);
      let done = false;
      recorder.end(() => (done = true), 25); // the key came up after the newest captured sample
      expect(done).toBe(false);
      recorder.pushFrames(quiet(FRAME), 30);
      expect(done).toBe(true);
    });

    it('keeps recording while the speech goes on after key-up, and stops once it ends', () => {
      const { recorder, all } = setup(0, 1_000);
      recorder.begin();
      recorder.pushFrames(speech(FRAME), 10);
      let done = false;
      recorder.end(() => (done = true), 10);
      for (let i = 0; i < 5; i++) recorder.pushFrames(speech(FRAME), 11 + i); // the last word, 100 ms
      expect(done).toBe(false);
      const quietFrames = Math.ceil((RATE * 0.12) / FRAME);
      for (let i = 0; i < quietFrames && !done; i++) recorder.pushFrames(quiet(FRAME), 20 + i);
      expect(done).toBe(true);
      // All of the speech, and the quiet that proved it over, well short of the 1 s post-roll.
      expect(all().length).toBe(6 * FRAME + quietFrames * FRAME);
    });

    it('a pause shorter than the end-of-speech quiet does not end the turn', () => {
      const { recorder } = setup(0, 1_000);
      recorder.begin();
      let done = false;
      recorder.end(() => (done = true), 0);
      recorder.pushFrames(speech(FRAME), 1);
      recorder.pushFrames(quiet(RATE * 0.08), 2); // a gap between two words
      recorder.pushFrames(speech(FRAME), 3);
      expect(done).toBe(false);
    });

    it('a stalled mic\'s late burst is judged by when it was heard: a pause before the key-up does not end the turn', () => {
      const { recorder } = setup(0, 1_000);
      recorder.begin();
      recorder.pushFrames(speech(RATE / 10), 1_000);
      let done = false;
      recorder.end(() => (done = true), 1_200); // key-up at 1.2 s, mid-sentence
      // After a stall, audio from 1.0–1.15 s arrives at 1.3 s: a pause between two words.
      recorder.pushFrames(quiet((RATE * 150) / 1000), 1_300);
      expect(done).toBe(false);
      recorder.pushFrames(speech(RATE / 10), 1_300); // the last word, heard 1.15–1.25 s
      recorder.pushFrames(quiet((RATE * 130) / 1000), 1_380);
      expect(done).toBe(true);
    });

    it('the post-roll is counted from the key-up in the audio\'s time, however far the captured audio lags', () => {
      const { recorder, all } = setup(0, 250);
      recorder.begin();
      recorder.pushFrames(speech(RATE / 10), 1_000); // heard until 1.0 s
      let done = false;
      recorder.end(() => (done = true), 1_300); // the key came up at 1.3 s, still speaking
      for (let i = 0; i < 5 && !done; i++) recorder.pushFrames(speech(RATE / 10), 1_600 + i);
      expect(done).toBe(false); // 1.0–1.5 s is in: not yet 250 ms past the key-up
      for (let i = 0; i < 10 && !done; i++) recorder.pushFrames(speech(RATE / 100), 1_700 + i);
      expect(done).toBe(true);
      expect(all().length).toBe((RATE * 650) / 1000); // 0.9–1.55 s: up to the key-up plus 250 ms
    });
  });
});
