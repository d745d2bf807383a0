import { z } from 'zod';
import { parseHotkeySpec } from './hotkey-grammar';
import { LANGUAGE_SETTINGS } from './i18n/languages';
import { ToolsSettingsSchema } from './tool-settings';

/**
 * Every user setting, validated with zod wherever it enters: the settings file, the
 * renderer's IPC calls and the headless command line. The API key is not here: it is a
 * secret, stored apart (encrypted in the window, from OPENAI_API_KEY headless).
 */

const httpOrWsUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      { message: `Enter a full URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
    );

export const REALTIME_VOICES = ['alloy', 'ash', 'ballad', 'cedar', 'coral', 'echo', 'marin', 'sage', 'shimmer', 'verse'] as const;

export const RealtimeSettingsSchema = z.object({
  url: httpOrWsUrl(['ws:', 'wss:']).default('wss://api.openai.com/v1/realtime'),
  model: z.string().trim().min(1, 'Enter a model name').default('gpt-realtime'),
  /** Free text: self-hosted servers offer voices of their own. */
  voice: z.string().trim().min(1, 'Enter a voice').default('marin'),
});

export const ChatAudioSettingsSchema = z.object({
  /** The server's base URL, the part before /chat/completions. */
  url: httpOrWsUrl(['http:', 'https:']).default('http://localhost:8000/v1'),
  /** Empty: ask the server with GET /models and use the first. */
  model: z.string().trim().default(''),
  /** How the clip travels: vLLM accepts both; some servers only one. */
  audioPart: z.enum(['input_audio', 'audio_url']).default('input_audio'),
  /** How many of the user's earlier clips go along as history. */
  historyClips: z.number().int().min(0).max(20).default(3),
  /** Optional Whisper-style endpoint that turns the user's clip into words. */
  transcriptionModel: z.string().trim().default(''),
  /** Optional text-to-speech: speak replies through /audio/speech. */
  speech: z
    .object({
      enabled: z.boolean().default(false),
      model: z.string().trim().default('tts-1'),
      voice: z.string().trim().default('alloy'),
    })
    .prefault({}),
});

/** The longest pre-roll a user may choose; the mic keeps at least this much of the past. */
export const MAX_PRE_ROLL_MS = 2000;

/** Hold the key while speaking, or tap to start and tap again to send. */
export const TALK_MODES = ['hold', 'toggle'] as const;
export type TalkMode = (typeof TALK_MODES)[number];

/** Milliseconds: bounded so a typo cannot make a turn wait for minutes. */
export const CaptureSettingsSchema = z.object({
  talkMode: z.enum(TALK_MODES).default('hold'),
  preRollMs: z.number().int().min(0).max(MAX_PRE_ROLL_MS).default(300),
  postRollMs: z.number().int().min(0).max(2000).default(500),
  keepMicWarm: z.boolean().default(true),
  maxHoldMs: z.number().int().min(5_000).max(3_600_000).default(300_000),
});

export const INDICATOR_CORNERS = ['top-left', 'top-right', 'bottom-left', 'bottom-right'] as const;

/** How Parley lives on the desktop. */
export const DesktopSettingsSchema = z.object({
  /** Start when the user logs in (off by default). */
  startAtLogin: z.boolean().default(false),
  /** Start in the tray with the hotkey live, without showing the window. */
  startHidden: z.boolean().default(false),
  /** A small always-on-top pill showing listening, thinking, a tool at work and speaking, while the window is hidden or unfocused. */
  indicator: z.boolean().default(true),
  indicatorCorner: z.enum(INDICATOR_CORNERS).default('bottom-right'),
});

export const SettingsSchema = z.object({
  backend: z.enum(['realtime', 'chat-audio']).default('realtime'),
  realtime: RealtimeSettingsSchema.prefault({}),
  chatAudio: ChatAudioSettingsSchema.prefault({}),
  instructions: z.string().max(20_000).default('You are Parley, a helpful voice assistant. Keep answers short and spoken.'),
  hotkey: z
    .string()
    .trim()
    .min(1, 'Choose a hotkey')
    .superRefine((value, context) => {
      const parsed = parseHotkeySpec(value);
      if (!parsed.ok) context.addIssue({ code: 'custom', message: parsed.problem });
    })
    .default('F9'),
  /** Device names as the audio system lists them; null follows the system default. */
  inputDevice: z.string().trim().min(1).nullable().default(null),
  outputDevice: z.string().trim().min(1).nullable().default(null),
  capture: CaptureSettingsSchema.prefault({}),
  desktop: DesktopSettingsSchema.prefault({}),
  /** The window's and the tray's language; 'system' follows the OS locale. */
  language: z.enum(LANGUAGE_SETTINGS).default('system'),
  /** MCP servers and tool switches; see tool-settings.ts (secrets never reach the window). */
  tools: ToolsSettingsSchema.prefault({}),
  /** Off: nothing new is written to the conversation history. */
  keepHistory: z.boolean().default(true),
});

export type Settings = z.infer<typeof SettingsSchema>;
export type RealtimeSettings = z.infer<typeof RealtimeSettingsSchema>;
export type ChatAudioSettings = z.infer<typeof ChatAudioSettingsSchema>;
export type CaptureSettings = z.infer<typeof CaptureSettingsSchema>;
export type DesktopSettings = z.infer<typeof DesktopSettingsSchema>;

export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}
