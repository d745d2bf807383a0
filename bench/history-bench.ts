/**
 * History on a database of 10,000 conversations × 20 lines, with node-sqlite3-wasm (what
 * Parley ships) and better-sqlite3 (native) side by side, on identical files and SQL; and
 * the same conversations in a version 2 file, upgraded when opened (history-upgrade-bench.ts).
 * Standalone: `npx tsx bench/history-bench.ts`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConversationStore, titleFrom } from '../src/main/history/conversation-store';
import { openHistoryDatabase } from '../src/main/history/history-database';
import { historyFilePath } from '../src/main/history/history-location';
import { SearchIndex } from '../src/main/history/search-index';
import { searchWarmUp } from '../src/main/history/search-warm-up';
import { connectWasm, type SqlConnection, type SqlConnector } from '../src/main/history/sqlite-connection';
import { connectBetterSqlite3 } from './better-sqlite3-connection';
import { formatTable, summarize, type Figure } from './figures';
import { buildVersion2Database, measureUpgrade } from './history-upgrade-bench';

const CONVERSATIONS = 10_000;
const LINES_PER_CONVERSATION = 20;
const SAVES = 300;
const OPENS = 15;
const WORDS = `time person year way day thing man world life hand part child eye woman place work week case point government company number group problem fact weather forecast rain sunny cloudy tomorrow meeting calendar reminder bread grocery recipe chicken pasta garden flowers music playlist concert ticket train station airport flight hotel booking museum history science physics chemistry biology planet galaxy telescope ocean mountain river forest desert island bridge tunnel highway bicycle engine battery charger laptop keyboard monitor printer network router password account invoice budget salary mortgage insurance doctor dentist pharmacy medicine vitamin exercise running swimming football tennis chess puzzle novel poetry grammar vocabulary translation french german spanish italian japanese chinese korean quantum neutrino kaleidoscope xylophone zeppelin`.split(' ');
const HANZI = '的一是不了人我在有他这中大来上国个到说们为子和地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切';

/** Deterministic text, so every run (and both bindings) search the same words. */
class TextSource {
  #state: number;
  constructor(seed: number) {
    this.#state = seed;
  }
  next(): number {
    // mulberry32
    let t = (this.#state += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  pick<T>(items: readonly T[] | string): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  sentence(): string {
    if (this.next() < 0.2) return Array.from({ length: 8 + Math.floor(this.next() * 24) }, () => this.pick<string>(HANZI)).join('');
    return Array.from({ length: 6 + Math.floor(this.next() * 30) }, () => this.pick(WORDS)).join(' ');
  }
}

/** Writes the bench's conversations into an open history (either schema), returning sample lines for the query mix. */
export function writeConversations(connection: SqlConnection): string[] {
  const text = new TextSource(42);
  const samples: string[] = [];
  const start = Date.UTC(2025, 0, 1);
  const conversation = connection.prepare('INSERT INTO conversations (id, started_at, title, title_position) VALUES (?, ?, ?, 1)');
  const line = connection.prepare(
    `INSERT INTO lines (conversation_id, item_key, role, text, status, at, updated_at, position) VALUES (?, ?, ?, ?, 'final', ?, ?, ?)`,
  );
  for (let id = 1; id <= CONVERSATIONS; id++) {
    const startedAt = start + id * 3_600_000;
    const lines = Array.from({ length: LINES_PER_CONVERSATION }, () => text.sentence());
    conversation.run([id, startedAt, titleFrom(lines[0]!)]);
    lines.forEach((words, index) => {
      line.run([id, `item-${index}`, index % 2 === 0 ? 'user' : 'assistant', words, startedAt + index * 5000, startedAt + index * 5000, index + 1]);
    });
    if (id % 50 === 0) samples.push(lines[Math.floor(text.next() * lines.length)]!);
  }
  return samples;
}

/** Builds the database once, with better-sqlite3 (the faster writer), in one transaction. */
export function buildDatabase(dataDir: string): string[] {
  const { connection } = openHistoryDatabase(historyFilePath(dataDir), { connect: connectBetterSqlite3 });
  connection.exec('BEGIN');
  const samples = writeConversations(connection);
  // The store indexes lines after the fact (see SearchIndex); a history in use is caught up.
  // Merging as SQLite does by default while loading gives the segments a history gets from
  // merges after each reply (not one segment per level, which a real history never has).
  for (const table of ['lines_search', 'lines_short']) connection.exec(`INSERT INTO ${table} (${table}, rank) VALUES ('automerge', 4)`);
  new SearchIndex({ db: connection, sql: (sql) => connection.prepare(sql), forgetStatements: () => {} }).catchUp();
  for (const table of ['lines_search', 'lines_short']) connection.exec(`INSERT INTO ${table} (${table}, rank) VALUES ('automerge', 0)`);
  connection.exec('COMMIT');
  connection.close();
  return samples;
}

type QueryKind = '3+ characters' | '1–2 characters' | 'no match';
interface Query {
  kind: QueryKind;
  /** What the query is, for the printed mix. */
  shape: string;
  text: string;
}

/** Words and characters that occur in no stored line (checked against the vocabulary below). */
const ABSENT_WORDS = ['zebra', 'giraffe', 'umbrella', 'violin', 'wizard', 'yoghurt', 'jazz', 'lemonade', 'snowman', 'hockey'];
const ABSENT_PAIRS = ['qz', 'xj', 'zq', 'vv', 'jx', 'qq', 'fz', 'zx', 'wq', 'kq'];
const ABSENT_HANZI = [...'龟熊猫鲸鲨葡萄咖啡茶醋姜蒜椒莓桃梨瓜'].filter((character) => !HANZI.includes(character));

/**
 * A mix like a search box sees, taken from stored lines: English words and two-word phrases,
 * the first letter or two of a word (typing has just begun), Chinese words of one, two and
 * three or four characters, and queries that match nothing (absent words, letter pairs and
 * characters), which must look at the whole index to say so.
 */
function queryMix(samples: string[]): Query[] {
  const text = new TextSource(7);
  const english = samples.filter((sample) => /^[a-z ]+$/.test(sample)).map((sample) => sample.split(' '));
  const chinese = samples.filter((sample) => !/^[a-z ]+$/.test(sample)).map((sample) => [...sample]);
  const word = (): string => text.pick(text.pick(english));
  const hanzi = (length: number): string => {
    const characters = text.pick(chinese);
    const at = Math.floor(text.next() * (characters.length - length));
    return characters.slice(at, at + length).join('');
  };
  const some = (count: number, kind: QueryKind, shape: string, make: () => string): Query[] => Array.from({ length: count }, () => ({ kind, shape, text: make() }));
  const queries = [
    ...some(40, '3+ characters', 'English word', word),
    ...some(30, '3+ characters', 'English two-word phrase', () => {
      const words = text.pick(english);
      const at = Math.floor(text.next() * (words.length - 1));
      return `${words[at]} ${words[at + 1]}`;
    }),
    ...some(30, '3+ characters', 'Chinese, 3–4 characters', () => hanzi(3 + Math.floor(text.next() * 2))),
    ...some(30, '1–2 characters', 'English, first 1–2 letters of a word', () => word().slice(0, 1 + Math.floor(text.next() * 2))),
    ...some(30, '1–2 characters', 'Chinese, 1 character', () => hanzi(1)),
    ...some(40, '1–2 characters', 'Chinese, 2 characters', () => hanzi(2)),
    ...some(10, 'no match', 'English word', () => text.pick(ABSENT_WORDS)),
    ...some(10, 'no match', 'English letter pair', () => text.pick(ABSENT_PAIRS)),
    ...some(10, 'no match', 'Chinese, 1–2 characters', () => Array.from({ length: 1 + Math.floor(text.next() * 2) }, () => text.pick(ABSENT_HANZI)).join('')),
    ...some(10, 'no match', 'Chinese, 3 characters (2 stored + 1 absent)', () => hanzi(2) + text.pick(ABSENT_HANZI)),
  ];
  // Shuffled, so the first (cold) searches are not all of one kind.
  for (let at = queries.length - 1; at > 0; at--) {
    const other = Math.floor(text.next() * (at + 1));
    [queries[at], queries[other]] = [queries[other]!, queries[at]!];
  }
  return queries;
}

function describeMix(queries: Query[]): string {
  const shapes = new Map<string, string[]>();
  for (const query of queries) {
    const key = `${query.kind}: ${query.shape}`;
    shapes.set(key, [...(shapes.get(key) ?? []), query.text]);
  }
  const kinds: QueryKind[] = ['3+ characters', '1–2 characters', 'no match'];
  const ordered = [...shapes].sort(([a], [b]) => kinds.findIndex((kind) => a.startsWith(kind)) - kinds.findIndex((kind) => b.startsWith(kind)));
  const rows = ordered.map(([key, texts]) => `  ${String(texts.length).padStart(3)} × ${key}, e.g. ${texts.slice(0, 4).map((t) => JSON.stringify(t)).join(', ')}`);
  return [`history search mix (${queries.length} queries, limit 50, shuffled):`, ...rows].join('\n');
}

function timed(action: () => void): number {
  const start = performance.now();
  action();
  return performance.now() - start;
}

/** A median-only figure: the targets for these are medians, and `meets` would judge the p95. */
function median(name: string, values: number[], target: number): Figure {
  const figure = summarize(name, 'ms', values, target);
  return { name: `${name} (p95 ${figure.p95!.toFixed(2)})`, unit: 'ms', value: figure.value, target, samples: figure.samples };
}

function measure(binding: string, dataDir: string, connect: SqlConnector, queries: Query[], upgrade: Figure[]): Figure[] {
  const opens = Array.from({ length: OPENS }, () => timed(() => ConversationStore.open(dataDir, { connect }).dispose()));
  const store = ConversationStore.open(dataDir, { connect, writer: true });
  try {
    // What setUpHistory has done by the time anyone searches (scheduleSearchWarmUp, one step
    // per tick from two seconds after start), here back to back, each step timed.
    const warmUp: number[] = [];
    const steps = searchWarmUp(store);
    for (let done = false; !done; ) warmUp.push(timed(() => (done = steps.next().done === true)));
    const searches = queries.map((query) => {
      let found = 0;
      const ms = timed(() => (found = store.search(query.text, 50).length));
      if (query.kind === 'no match' && found > 0) throw new Error(`the bench's no-match query ${JSON.stringify(query.text)} matched ${found} lines`);
      return { kind: query.kind, ms };
    });
    const of = (kind: QueryKind): number[] => searches.filter((search) => search.kind === kind).map((search) => search.ms);
    const text = new TextSource(99);
    const saves = Array.from({ length: SAVES }, (_, index) => {
      const id = 1 + Math.floor(text.next() * CONVERSATIONS);
      const line = { key: `bench-${binding}-${index}`, role: 'assistant' as const, text: text.sentence(), status: 'final' as const };
      return timed(() => store.saveLine(id, line));
    });
    store.flushToDisk(); // what the recorder does after a reply: the saves above get indexed
    // A search right after a conversation first indexes its 20 lines; two seconds after the
    // reply the recorder's flushToDisk() indexes (had nobody searched), merges index segments
    // and fsyncs, off the window's path.
    const afterConversation: number[] = [];
    const afterReply: number[] = [];
    for (let index = 0; index < 20; index++) {
      const id = store.createConversation();
      for (let line = 0; line < LINES_PER_CONVERSATION; line++) {
        store.saveLine(id, { key: `l${line}`, role: line % 2 === 0 ? 'user' : 'assistant', text: text.sentence(), status: 'final' });
      }
      afterConversation.push(timed(() => store.search(queries[index]!.text, 50)));
      afterReply.push(timed(() => store.flushToDisk()));
    }
    const lists = Array.from({ length: 5 }, () => timed(() => store.list()));
    return [
      median(`history ${binding}: open the database at start-up`, opens, 50),
      ...upgrade,
      // Not an issue target: each warm-up step blocks the engine for this long, once a session (my budget: 100 ms).
      median(`history ${binding}: warm-up after start, ${warmUp.length} steps (${warmUp.reduce((sum, ms) => sum + ms, 0).toFixed(0)} ms in all)`, warmUp, 100),
      summarize(`history ${binding}: search, the whole mix`, 'ms', searches.map((search) => search.ms), 20),
      summarize(`history ${binding}: search, 3+ characters (trigram index)`, 'ms', of('3+ characters'), 20),
      summarize(`history ${binding}: search, 1–2 characters (character index)`, 'ms', of('1–2 characters'), 20),
      summarize(`history ${binding}: search, no match`, 'ms', of('no match'), 20),
      summarize(`history ${binding}: search after a new 20-line conversation (indexes it)`, 'ms', afterConversation, 20),
      median(`history ${binding}: store a final line`, saves, 1),
      // Not an issue target: the recorder's work two seconds after a reply (my budget: 50 ms).
      median(`history ${binding}: after a reply: merge index segments, fsync`, afterReply, 50),
      // Not an issue target: what the window's list costs on this size (my budget: 100 ms).
      median(`history ${binding}: list 10,000 conversations`, lists, 100),
    ];
  } finally {
    store.dispose();
  }
}

/** Loading the module is part of start-up too; measured in fresh processes. */
function moduleLoad(binding: string, moduleName: string): Figure {
  const script = `const t = performance.now(); const m = require(${JSON.stringify(moduleName)}); new m${moduleName === 'better-sqlite3' ? '' : '.Database'}(':memory:').close(); process.stdout.write(String(performance.now() - t));`;
  const runs = Array.from({ length: 3 }, () => Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })));
  return median(`history ${binding}: load the binding in a new process`, runs, 50);
}

export async function benchHistory(): Promise<Figure[]> {
  const root = mkdtempSync(join(tmpdir(), 'parley-history-bench-'));
  try {
    const nativeDir = join(root, 'better-sqlite3');
    const wasmDir = join(root, 'wasm');
    const samples = buildDatabase(nativeDir);
    mkdirSync(wasmDir, { recursive: true });
    copyFileSync(historyFilePath(nativeDir), historyFilePath(wasmDir));
    const version2Dir = join(root, 'version-2');
    buildVersion2Database(version2Dir, writeConversations);
    const queries = queryMix(samples);
    process.stderr.write(`${describeMix(queries)}\n`);
    const upgrade = (connect: SqlConnector, binding: string, catchUp: boolean): Figure[] =>
      measureUpgrade(binding, version2Dir, { connect, queries: queries.map((query) => query.text), lines: CONVERSATIONS * LINES_PER_CONVERSATION, catchUp });
    // The catch-up only where Parley runs it: node-sqlite3-wasm.
    const wasm = measure('node-sqlite3-wasm', wasmDir, connectWasm, queries, upgrade(connectWasm, 'node-sqlite3-wasm', true));
    const native = measure('better-sqlite3', nativeDir, connectBetterSqlite3, queries, upgrade(connectBetterSqlite3, 'better-sqlite3', false));
    return [...wasm, moduleLoad('node-sqlite3-wasm', 'node-sqlite3-wasm'), ...native, moduleLoad('better-sqlite3', 'better-sqlite3')];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now();
  void benchHistory().then((figures) => process.stdout.write(`${formatTable(figures)}\n(${((performance.now() - started) / 1000).toFixed(0)} s)\n`));
}
