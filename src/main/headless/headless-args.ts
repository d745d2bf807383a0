import { parseArgs } from 'node:util';
import { SettingsSchema, type Settings } from '../../shared/settings';
import { TOOL_APPROVAL_MODES, type ToolApprovalMode } from '../tools/tool-catalog';

export const HEADLESS_USAGE = `Usage: npm run -s headless -- [options]

Hold the hotkey, speak, release: the reply plays from the speaker, and every event is
printed to stdout as one JSON object per line. Logs go to stderr. Ctrl+C quits.

  --backend realtime|chat-audio   which kind of server (default: realtime)
  --url URL                       Realtime: ws(s)://…/v1/realtime (default: OpenAI)
                                  chat-audio: http(s)://host:8000/v1
  --model NAME                    model (chat-audio: default is the server's first model)
  --voice NAME                    Realtime voice (default: marin)
  --instructions TEXT             system instructions
  --hotkey KEY                    F9, RightCtrl, Ctrl+Space, … (default: F9)
  --input-device NAME             microphone by name (default: the system default)
  --output-device NAME            speaker by name (default: the system default)
  --pre-roll MS                   audio kept from before the key press (default: 300)
  --post-roll MS                  longest listening after key-up while speech goes on (default: 500)
  --cold-mic                      open the microphone only while the key is held
  --mode hold|toggle              hold the key while you speak (default), or tap to
                                  start and tap again to send
  --mcp-config FILE               MCP servers, as {"mcpServers": {NAME: {command, args, env}
                                  or {url, headers}}}, the format other MCP hosts use
  --allow-tools read-only|all|none  which tools run without asking: read-only (default)
                                  runs built-in and read-only tools and declines the rest
  --no-tools                      declare no tools to the model, not even the built-in ones
  --data-dir DIR                  where the conversation history is kept (default: the
                                  desktop app's folder, ~/.config/Parley on Linux)
  --no-history                    keep no history of this session
  --log-file PATH                 also write the log to this file (rotated, secrets removed)
  --audio-part input_audio|audio_url   chat-audio: how the clip is sent
  --history-clips N               chat-audio: earlier clips sent as history (default: 3)
  --transcription-model NAME      chat-audio: transcribe clips with /audio/transcriptions
  --speech                        chat-audio: speak replies with /audio/speech
  --speech-model NAME, --speech-voice NAME
  --list-devices                  print the audio devices and exit
  --help

The API key comes from the environment variable OPENAI_API_KEY.`;

export interface HeadlessExtras {
  mcpConfigPath: string | null;
  allowTools: ToolApprovalMode;
  tools: boolean;
  dataDir: string | null;
  keepHistory: boolean;
  logFile: string | null;
}

export type HeadlessCommand =
  | { kind: 'run'; settings: Settings; extras: HeadlessExtras }
  | { kind: 'help' }
  | { kind: 'list-devices' }
  | { kind: 'invalid'; message: string };

/** Turns the command line into validated settings, or a sentence saying what is wrong. */
export function parseHeadlessArgs(argv: string[]): HeadlessCommand {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    return { kind: 'invalid', message: `${error instanceof Error ? error.message : String(error)}. Run with --help to see the options.` };
  }
  if (values.help) return { kind: 'help' };
  if (values['list-devices']) return { kind: 'list-devices' };

  const backend = values.backend ?? 'realtime';
  const number = (raw: string | undefined): number | undefined => (raw === undefined ? undefined : Number(raw));
  const candidate = {
    backend,
    instructions: values.instructions,
    hotkey: values.hotkey,
    inputDevice: values['input-device'] ?? null,
    outputDevice: values['output-device'] ?? null,
    capture: {
      preRollMs: number(values['pre-roll']),
      postRollMs: number(values['post-roll']),
      keepMicWarm: !values['cold-mic'],
      talkMode: values.mode,
    },
    realtime: backend === 'realtime' ? { url: values.url, model: values.model, voice: values.voice } : {},
    chatAudio:
      backend === 'chat-audio'
        ? {
            url: values.url,
            model: values.model,
            audioPart: values['audio-part'],
            historyClips: number(values['history-clips']),
            transcriptionModel: values['transcription-model'],
            speech: { enabled: values.speech ?? false, model: values['speech-model'], voice: values['speech-voice'] },
          }
        : {},
  };
  const parsed = SettingsSchema.safeParse(dropUndefined(candidate));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${optionName(issue.path)}: ${issue.message}`);
    return { kind: 'invalid', message: `${problems.join('; ')}. Run with --help to see the options.` };
  }
  const allowTools = values['allow-tools'] ?? 'read-only';
  if (!(TOOL_APPROVAL_MODES as readonly string[]).includes(allowTools)) {
    return { kind: 'invalid', message: `--allow-tools: expected one of ${TOOL_APPROVAL_MODES.join(', ')}, not "${allowTools}". Run with --help to see the options.` };
  }
  const extras: HeadlessExtras = {
    mcpConfigPath: values['mcp-config'] ?? null,
    allowTools: allowTools as ToolApprovalMode,
    tools: !values['no-tools'],
    dataDir: values['data-dir'] ?? null,
    keepHistory: !values['no-history'],
    logFile: values['log-file'] ?? null,
  };
  return { kind: 'run', settings: parsed.data, extras };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      backend: { type: 'string' },
      url: { type: 'string' },
      model: { type: 'string' },
      voice: { type: 'string' },
      instructions: { type: 'string' },
      hotkey: { type: 'string' },
      'input-device': { type: 'string' },
      'output-device': { type: 'string' },
      'pre-roll': { type: 'string' },
      'post-roll': { type: 'string' },
      'cold-mic': { type: 'boolean' },
      mode: { type: 'string' },
      'mcp-config': { type: 'string' },
      'allow-tools': { type: 'string' },
      'no-tools': { type: 'boolean' },
      'data-dir': { type: 'string' },
      'no-history': { type: 'boolean' },
      'log-file': { type: 'string' },
      'audio-part': { type: 'string' },
      'history-clips': { type: 'string' },
      'transcription-model': { type: 'string' },
      speech: { type: 'boolean' },
      'speech-model': { type: 'string' },
      'speech-voice': { type: 'string' },
      'list-devices': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

const OPTION_FOR_PATH: Record<string, string> = {
  backend: '--backend',
  'realtime.url': '--url',
  'chatAudio.url': '--url',
  'realtime.model': '--model',
  'chatAudio.model': '--model',
  'realtime.voice': '--voice',
  'capture.preRollMs': '--pre-roll',
  'capture.postRollMs': '--post-roll',
  'capture.talkMode': '--mode',
  'chatAudio.audioPart': '--audio-part',
  'chatAudio.historyClips': '--history-clips',
  hotkey: '--hotkey',
  inputDevice: '--input-device',
  outputDevice: '--output-device',
};

function optionName(path: PropertyKey[]): string {
  const key = path.map(String).join('.');
  return OPTION_FOR_PATH[key] ?? `--${key}`;
}

/** zod applies defaults only to missing keys, so options not given must be absent, not undefined. */
function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value) || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .map(([key, entry]) => [key, dropUndefined(entry)]),
  );
}
