import { describe, expect, it } from 'vitest';
import { CaptureBacklog } from '../../../src/main/audio/capture-backlog';

function bytesOf(samples: number[]): Buffer {
  const pcm = Int16Array.from(samples);
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

function held(backlog: CaptureBacklog): number[] {
  return backlog.pieces().flatMap((piece) => [...piece]);
}

describe('CaptureBacklog', () => {
  it('keeps what was pushed, oldest first, until it is full', () => {
    const backlog = new CaptureBacklog(5);
    backlog.pushBytes(bytesOf([1, 2]), 10);
    backlog.pushBytes(bytesOf([3]), 20);
    expect(held(backlog)).toEqual([1, 2, 3]);
    expect(backlog.length).toBe(3);
    expect(backlog.newestCapturedAt).toBe(20);
  });

  it('keeps only the newest samples once it wraps around, in order', () => {
    const backlog = new CaptureBacklog(5);
    backlog.pushBytes(bytesOf([1, 2, 3]), 1);
    backlog.pushBytes(bytesOf([4, 5, 6]), 2);
    expect(held(backlog)).toEqual([2, 3, 4, 5, 6]);
    backlog.pushBytes(bytesOf([7, 8]), 3);
    expect(held(backlog)).toEqual([4, 5, 6, 7, 8]);
    expect(backlog.pieces().length).toBeLessThanOrEqual(2);
  });

  it('keeps the tail of a chunk longer than itself', () => {
    const backlog = new CaptureBacklog(3);
    backlog.pushBytes(bytesOf([9]), 1);
    backlog.pushBytes(bytesOf([1, 2, 3, 4, 5, -32768, 32767]), 2);
    expect(held(backlog)).toEqual([5, -32768, 32767]);
  });

  it('reads PCM16 from a Buffer at an odd byte offset without a view', () => {
    const pool = Buffer.alloc(7);
    const chunk = pool.subarray(1, 7);
    bytesOf([100, -200, 300]).copy(chunk);
    const backlog = new CaptureBacklog(4);
    backlog.pushBytes(chunk, 1);
    expect(held(backlog)).toEqual([100, -200, 300]);
  });

  it('ignores a dangling odd byte, empties on clear, and can hold nothing', () => {
    const backlog = new CaptureBacklog(4);
    backlog.pushBytes(Buffer.concat([bytesOf([1, 2]), Buffer.from([0x7f])]), 1);
    expect(held(backlog)).toEqual([1, 2]);
    backlog.clear();
    expect(backlog.length).toBe(0);
    expect(backlog.pieces()).toEqual([]);
    backlog.pushBytes(bytesOf([3]), 2);
    expect(held(backlog)).toEqual([3]);

    const none = new CaptureBacklog(0);
    none.pushBytes(bytesOf([1, 2]), 1);
    expect(none.pieces()).toEqual([]);
    expect(() => new CaptureBacklog(-1)).toThrow(RangeError);
  });
});
