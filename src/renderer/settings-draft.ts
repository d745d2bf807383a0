import type { core } from 'zod';
import { SettingsSchema, type Settings } from '../shared/settings';

/**
 * The settings form's own values: flat, with numbers kept as the text the user typed so
 * "12a" or an empty box can be reported instead of silently becoming 0.
 */
export interface SettingsDraft {
  backend: Settings['backend'];
  realtimeUrl: string;
  realtimeModel: string;
  realtimeVoice: string;
  chatUrl: string;
  chatModel: string;
  audioPart: Settings['chatAudio']['audioPart'];
  historyClips: string;
  transcriptionModel: string;
  speechEnabled: boolean;
  speechModel: string;
  speechVoice: string;
  instructions: string;
  hotkey: string;
  /** '' follows the system default. */
  inputDevice: string;
  outputDevice: string;
  preRollMs: string;
  postRollMs: string;
  keepMicWarm: boolean;
  talkMode: Settings['capture']['talkMode'];
  language: Settings['language'];
  startAtLogin: boolean;
  startHidden: boolean;
  indicator: boolean;
  indicatorCorner: Settings['desktop']['indicatorCorner'];
  keepHistory: boolean;
  /** Not on the form; carried through unchanged. */
  maxHoldMs: number;
}

export type DraftField = Exclude<keyof SettingsDraft, 'maxHoldMs'>;
export type FieldErrors = Partial<Record<DraftField, string>>;

/** Where each schema path lands on the form. */
const FIELD_BY_PATH: Record<string, DraftField> = {
  backend: 'backend',
  'realtime.url': 'realtimeUrl',
  'realtime.model': 'realtimeModel',
  'realtime.voice': 'realtimeVoice',
  'chatAudio.url': 'chatUrl',
  'chatAudio.model': 'chatModel',
  'chatAudio.audioPart': 'audioPart',
  'chatAudio.historyClips': 'historyClips',
  'chatAudio.transcriptionModel': 'transcriptionModel',
  'chatAudio.speech.enabled': 'speechEnabled',
  'chatAudio.speech.model': 'speechModel',
  'chatAudio.speech.voice': 'speechVoice',
  instructions: 'instructions',
  hotkey: 'hotkey',
  inputDevice: 'inputDevice',
  outputDevice: 'outputDevice',
  'capture.preRollMs': 'preRollMs',
  'capture.postRollMs': 'postRollMs',
  'capture.keepMicWarm': 'keepMicWarm',
  'capture.talkMode': 'talkMode',
  language: 'language',
  'desktop.startAtLogin': 'startAtLogin',
  'desktop.startHidden': 'startHidden',
  'desktop.indicator': 'indicator',
  'desktop.indicatorCorner': 'indicatorCorner',
  keepHistory: 'keepHistory',
};

/** Translates a message key from src/shared/i18n (the window passes react-i18next's `t`). */
export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** Schema messages the window has words for, by field; others (the hotkey grammar's) show as they are. */
const MESSAGE_KEY_BY_FIELD: Partial<Record<DraftField, string>> = {
  realtimeUrl: 'validation.wsUrl',
  chatUrl: 'validation.httpUrl',
  realtimeModel: 'validation.modelName',
  realtimeVoice: 'validation.voice',
};

export function toDraft(settings: Settings): SettingsDraft {
  return {
    backend: settings.backend,
    realtimeUrl: settings.realtime.url,
    realtimeModel: settings.realtime.model,
    realtimeVoice: settings.realtime.voice,
    chatUrl: settings.chatAudio.url,
    chatModel: settings.chatAudio.model,
    audioPart: settings.chatAudio.audioPart,
    historyClips: String(settings.chatAudio.historyClips),
    transcriptionModel: settings.chatAudio.transcriptionModel,
    speechEnabled: settings.chatAudio.speech.enabled,
    speechModel: settings.chatAudio.speech.model,
    speechVoice: settings.chatAudio.speech.voice,
    instructions: settings.instructions,
    hotkey: settings.hotkey,
    inputDevice: settings.inputDevice ?? '',
    outputDevice: settings.outputDevice ?? '',
    preRollMs: String(settings.capture.preRollMs),
    postRollMs: String(settings.capture.postRollMs),
    keepMicWarm: settings.capture.keepMicWarm,
    talkMode: settings.capture.talkMode,
    language: settings.language,
    startAtLogin: settings.desktop.startAtLogin,
    startHidden: settings.desktop.startHidden,
    indicator: settings.desktop.indicator,
    indicatorCorner: settings.desktop.indicatorCorner,
    maxHoldMs: settings.capture.maxHoldMs,
    keepHistory: settings.keepHistory,
  };
}

export type DraftCheck = { ok: true; settings: Settings } | { ok: false; errors: FieldErrors };

/** Checks the form with the very schema the main process uses, so both sides agree on "valid". */
export function checkDraft(draft: SettingsDraft, t: Translate): DraftCheck {
  const parsed = SettingsSchema.safeParse({
    backend: draft.backend,
    realtime: { url: draft.realtimeUrl, model: draft.realtimeModel, voice: draft.realtimeVoice },
    chatAudio: {
      url: draft.chatUrl,
      model: draft.chatModel,
      audioPart: draft.audioPart,
      historyClips: toNumber(draft.historyClips),
      transcriptionModel: draft.transcriptionModel,
      speech: { enabled: draft.speechEnabled, model: draft.speechModel, voice: draft.speechVoice },
    },
    instructions: draft.instructions,
    hotkey: draft.hotkey,
    inputDevice: draft.inputDevice || null,
    outputDevice: draft.outputDevice || null,
    capture: {
      preRollMs: toNumber(draft.preRollMs),
      postRollMs: toNumber(draft.postRollMs),
      keepMicWarm: draft.keepMicWarm,
      talkMode: draft.talkMode,
      maxHoldMs: draft.maxHoldMs,
    },
    language: draft.language,
    desktop: { startAtLogin: draft.startAtLogin, startHidden: draft.startHidden, indicator: draft.indicator, indicatorCorner: draft.indicatorCorner },
    keepHistory: draft.keepHistory,
  });
  if (parsed.success) return { ok: true, settings: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = FIELD_BY_PATH[issue.path.join('.')];
    // The first problem per field is the one worth reading.
    if (field && errors[field] === undefined) errors[field] = describeIssue(issue, field, t);
  }
  return { ok: false, errors };
}

function toNumber(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

function describeIssue(issue: core.$ZodIssue, field: DraftField, t: Translate): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'number') return t('validation.atLeast', { min: Number(issue.minimum) });
      if (field === 'hotkey') return t('validation.hotkey');
      break;
    case 'too_big':
      if (issue.origin === 'number') return t('validation.atMost', { max: Number(issue.maximum) });
      break;
    case 'invalid_type':
      if (issue.expected === 'number' || issue.expected === 'int') return t('validation.wholeNumber');
      break;
  }
  const key = MESSAGE_KEY_BY_FIELD[field];
  return key ? t(key) : issue.message;
}
