import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { audibleSpan } from '../test/support/audio-compare';
import { keyDown, keyUp, sleep, speakIntoMic } from '../test/support/devices';
import { HeadlessProcess } from '../test/support/headless-process';
import { MIC_SOURCE, startPulseServer } from '../test/support/pulse-server';
import { startRealtimeServer } from '../test/support/realtime-server';
import { makeSpeech } from '../test/support/speech';
import { startXvfb } from '../test/support/xvfb';
import { SPEECH_END_QUIET_MS } from '../src/main/session/turn-recorder';
import { formatTable, summarize, type Figure } from './figures';

const TURNS = 6;
const RATE = 24_000;
/** How long before the end of the speech the key comes up in the mid-word case. */
const EARLY_KEY_UP_MS = 150;
const MIC_PERIOD_MS = 100;
const F9 = 67; // uiohook's key code

/**
 * Key-up → commit on the wire, as the user meets it: `npm run headless` as a user runs it,
 * a real key on Xvfb, speech played into the virtual mic, and the loopback Realtime server.
 * The key-up is timed by a uiohook listener in this process (the key event's arrival, not
 * the engine's callback), the commit by the server, both on this process's clock.
 *
 * Two cases: the key comes up 100 ms after the speech ended (nothing left to wait for), and
 * 150 ms before it ends (the post-roll must run on until the last word is in).
 *
 * Reference, in the same run: how long after each key-up `arecord -D pulse` with the same
 * 100 ms period delivers its next block, i.e. the soonest any capture client on this device
 * could hold the audio up to the key-up.
 */
/** Milliseconds on a clock that this process and its children share. */
const wallClock = (): number => performance.timeOrigin + performance.now();

/**
 * A bare uiohook in its own process, reporting each F9 key-up as it arrives: the key event's
 * time as any native listener sees it. Its own process, because uiohook takes the whole
 * process down when its X display goes away.
 */
function listenForKeyUps(env: NodeJS.ProcessEnv, onKeyUp: (at: number) => void) {
  const script = `const { uIOhook } = require('uiohook-napi');
uIOhook.on('keyup', (e) => { if (e.keycode === ${F9}) process.stdout.write((performance.timeOrigin + performance.now()) + '\\n'); });
uIOhook.start();`;
  const child = spawn(process.execPath, ['-e', script], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line.trim()) onKeyUp(Number(line));
  });
  return child;
}

export async function benchPostRoll(env: NodeJS.ProcessEnv): Promise<Figure[]> {
  const display = await startXvfb();
  const runEnv = { ...env, DISPLAY: display.display };
  Object.assign(process.env, { DISPLAY: display.display, PULSE_SERVER: env.PULSE_SERVER }); // for xdotool and paplay
  const question = makeSpeech('What is the weather like in Lisbon today?');
  const speechEndMs = (audibleSpan(question.pcm24k).end / RATE) * 1000;

  const commits: number[] = [];
  const server = await startRealtimeServer({
    replyAudio: new Int16Array(RATE / 10),
    replyText: 'Ok.',
    onClientEvent: (event) => {
      if (event.type === 'input_audio_buffer.commit') commits.push(wallClock());
    },
  });
  const keyUps: number[] = [];
  const keyUpListener = listenForKeyUps(runEnv, (at) => keyUps.push(at));
  await sleep(500); // the listener's hook is up
  const blocks: number[] = [];
  const arecord = spawn('arecord', ['-D', 'pulse', '-q', '-t', 'raw', '-f', 'S16_LE', '-c', '1', '-r', '48000', `--period-time=${MIC_PERIOD_MS * 1000}`], {
    env: { ...runEnv, PULSE_SOURCE: MIC_SOURCE },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  arecord.stdout.on('data', () => blocks.push(wallClock()));
  const parley = new HeadlessProcess(['--url', server.url, '--hotkey', 'F9'], { ...runEnv, OPENAI_API_KEY: 'bench' } as Record<string, string>);

  const afterSilence: number[] = [];
  const midWord: number[] = [];
  const quietAtEnd: number[] = [];
  const reference: number[] = [];
  try {
    await parley.waitFor((event) => event.type === 'state' && event.state === 'idle', 45_000);
    await sleep(1000);
    for (let turn = 0; turn < 2 * TURNS; turn++) {
      const early = turn % 2 === 1;
      const from = parley.events.length;
      const commitsBefore = commits.length;
      await keyDown('F9');
      const speaking = speakIntoMic(question.wavPath);
      if (early) await sleep(speechEndMs - EARLY_KEY_UP_MS);
      else await speaking.then(() => sleep(100));
      await keyUp('F9');
      await speaking;
      await parley.waitFor((event) => event.type === 'state' && event.state === 'idle', 30_000, from + 1);
      const keyUpAt = keyUps.at(-1)!;
      if (commits.length !== commitsBefore + 1) throw new Error('post-roll bench: a turn was not committed');
      (early ? midWord : afterSilence).push(commits.at(-1)! - keyUpAt);
      const nextBlock = blocks.find((at) => at >= keyUpAt);
      if (nextBlock !== undefined) reference.push(nextBlock - keyUpAt);
      if (early) {
        // Whole if the turn ends in quiet after its last loud stretch. (Aligning the source
        // would be finer, but a loaded machine's capture glitches shift an alignment more.)
        const received = server.turns.at(-1)!.audio;
        const quietAtEndMs = ((received.length - audibleSpan(received).end) / RATE) * 1000;
        quietAtEnd.push(quietAtEndMs);
        if (process.env.PARLEY_BENCH_VERBOSE) process.stderr.write(`post-roll: turn ends with ${quietAtEndMs.toFixed(0)} ms of quiet\n`);
      }
      await sleep(500);
    }
  } finally {
    await parley.stop();
    arecord.kill();
    keyUpListener.kill();
    await server.close();
    display.stop();
  }
  return [
    summarize('key-up 100 ms after the speech → commit on the wire', 'ms', afterSilence, 150),
    // The speech's end, the quiet that proves it, and one capture period to deliver that quiet.
    summarize(`key-up ${EARLY_KEY_UP_MS} ms before the speech ends → commit on the wire`, 'ms', midWord, EARLY_KEY_UP_MS + SPEECH_END_QUIET_MS + MIC_PERIOD_MS),
    { name: '  of those, turns cut off while the speech went on', unit: 'turns', value: quietAtEnd.filter((ms) => ms < 20).length, target: 0 },
    summarize('  reference: key-up → next arecord block, same device and period', 'ms', reference, Number.POSITIVE_INFINITY),
  ];
}

// `npx tsx bench/post-roll-bench.ts`: this part alone, with its own PulseAudio.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const pulse = await startPulseServer();
  try {
    const figures = await benchPostRoll({ ...process.env, PULSE_SERVER: pulse.serverAddress });
    process.stdout.write(`\n${formatTable(figures)}\n`);
  } finally {
    pulse.stop();
  }
}
