/**
 * A Parley stand-in for the crash test, run as its own process so it can be killed with
 * SIGKILL: the real store and recorder, fed the engine's transcript events for a reply that
 * never ends. Prints one JSON line once a throttled write of the growing reply is on disk.
 */
import { ConversationStore } from '../../../src/main/history/conversation-store';
import { HistoryRecorder } from '../../../src/main/history/history-recorder';
import { EventSource } from './history-fixtures';

const dataDir = process.argv[2]!;
const store = ConversationStore.open(dataDir, { writer: true });
const events = new EventSource();
const recorder = new HistoryRecorder({ store, subscribe: events.subscribe, keepHistory: true, onNotice: (sentence) => process.stderr.write(`${sentence}\n`) });

events.emit({ type: 'transcript', role: 'user', itemId: 'u1', text: '', final: false, clipMs: 1500 });
events.emit({ type: 'transcript', role: 'assistant', itemId: 'a1', text: 'Once', final: false });
events.emit({ type: 'transcript', role: 'user', itemId: 'u1', text: 'Tell me a long story.', final: true });

let reply = 'Once';
let reported = false;
setInterval(() => {
  reply += ' upon a time';
  events.emit({ type: 'transcript', role: 'assistant', itemId: 'a1', text: reply, final: false });
  const stored = store.get(recorder.conversationId!).lines.find((line) => line.key === 'a1')!;
  if (!reported && stored.text !== 'Once') {
    reported = true;
    process.stdout.write(`${JSON.stringify({ conversationId: recorder.conversationId, stored: stored.text })}\n`);
  }
}, 100);
