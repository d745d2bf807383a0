/** The speaker's device period: how short it starts, and how long it may grow. */

/**
 * What is committed ahead of the listener is what stop() cannot take back and what a reply's
 * first sample waits behind: about 2.5 periods in naudiodon (one write blocked, one queued, the
 * one being played) plus the ALSA buffer, which PortAudio sizes from the period (framesPerBuffer;
 * naudiodon always asks for the device's default low latency). Measured at the null sink's
 * monitor with bench/speaker-latency.ts (medians; PulseAudio through the ALSA plugin, 44.1 kHz):
 *   period   stop() → silence   play() → sound   CPU playing (aplay -D pulse: ~0.3 %)
 *   40 ms    ~170 ms            ~170 ms          ~1.9–2.1 %
 *   20 ms    ~82 ms             ~91 ms           ~1.9 %
 *   10 ms    ~40 ms             ~41 ms           ~1.7–3.1 %
 * Aborting (naudiodon's quit('ABORT'), Pa_AbortStream) drops only the ALSA buffer: naudiodon
 * first plays out its own queue and sleeps 20 ms. Measured: 40 ms periods 116 ms to silence
 * (171 without); 10 ms periods 27 ms (28 without). So stop() does not abort: it would gain a few
 * ms and cost a reopen, whose stream creation blocks the event loop for ~70 ms (the mic's too).
 * Writing nothing while idle (naudiodon's callback then waits) makes the stream underflow, and
 * the next reply came out with gaps of up to a quarter second and lost samples.
 * The cost of short periods: the cushion against a starved process is short too. Through ALSA's
 * pulse plugin one underrun can start a storm (see OutputDeviceStream), and at 10 ms a loaded
 * machine fell into one in nearly every reply (whole device tests lost words), at 20 ms rarely
 * (see MAX_PERIOD_MS). So the speaker starts at 20 ms, twice 10 ms's barge-in delay but a reply
 * that plays whole, and lengthens the period when the device cannot keep real time.
 */
export const DEFAULT_PERIOD_MS = 20;
/**
 * A device that cannot keep real time (the underrun storms in OutputDeviceStream) is reopened at
 * twice the period, up to this. 5 s of tone per period on a loaded machine (load 5, 2 cores):
 * 10 ms had storms that re-created the PulseAudio stream 209 and 7749 times (1 s and 4.5 s of
 * gaps), 20 ms one of 5 (0.6 s of gaps) in two runs, 40 ms none.
 */
export const MAX_PERIOD_MS = 40;
