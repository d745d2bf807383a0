/** The microphone's periods and timeouts, and the measurements behind them. */

/**
 * Every read costs a threadpool hop, a promise and a stream push, and every PortAudio callback a
 * wake-up, whatever their size, so idle CPU falls with the period (bench/audio-cpu.ts, 44.1 kHz:
 * 2.7 % at 20 ms, 1.0 % at 60 ms, 0.65 % at 100 ms). 100 ms costs up to one period on key-up →
 * commit and a 10 Hz level meter; appends stay within the 20–100 ms the Realtime API wants, and
 * pre-roll does not depend on it (the backlog holds a second, and the newest period, still in
 * flight at key-down, arrives as the turn's first live frame).
 */
export const DEFAULT_PERIOD_MS = 100;
/** The first stream a process opens can take ~2 s here before sound flows. */
export const FIRST_AUDIO_TIMEOUT_MS = 8000;
/** Native queue depth in periods: JS may stall this long before the audio callback blocks. */
export const MAX_QUEUE_MS = 2000;
/**
 * A stopped device's last ~200 ms still drain from the buffers, so 600 ms reports a loss ~0.8 s
 * after it (npm run bench). A starved machine (load 9 on 2 cores) shows such gaps about once a
 * minute with the device fine: the report then clears itself with the next read.
 */
export const LOSS_AFTER_MS = 600;
/** How much extra audio a pre-roll is resampled from: the filter's start-up stays out of it. */
export const FILTER_PRIMING_MS = 20;
