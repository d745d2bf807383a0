export interface TimerHandle {
  cancel(): void;
}

/**
 * setTimeout whose callback also waits for the I/O that arrived while it waited. Node runs due
 * timers before it reads I/O in each turn of its loop: after a stall (GC, a busy or starved
 * machine), a key event or a chunk of audio that arrived meanwhile is still queued behind a
 * timer that has come due. Timers that stand in for such an event when it fails to come (a
 * settle, a fallback) must not beat it when it did come: the callback runs after that I/O
 * (setImmediate runs after it).
 */
export function timerAfterIo(callback: () => void, ms: number, options: { unref?: boolean } = {}): TimerHandle {
  let afterIo: NodeJS.Immediate | undefined;
  const timer = setTimeout(() => {
    afterIo = setImmediate(callback);
  }, ms);
  if (options.unref) timer.unref();
  return {
    cancel: () => {
      clearTimeout(timer);
      if (afterIo) clearImmediate(afterIo);
    },
  };
}
