import { useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { REALTIME_VOICES, type Settings } from '../shared/settings';
import { ApiKeySection } from './api-key-section';
import { DeviceSection } from './device-section';
import { DiagnosticsButtons } from './diagnostics-buttons';
import { CheckboxField, SelectField, TextField } from './form-fields';
import { HotkeyField } from './hotkey-field';
import { useErrorText } from './i18n';
import type { ToolServerView } from '../shared/tool-view';
import { ToolsSection } from './tools-section';
import { Icon } from './icons';
import { checkDraft, toDraft, type DraftField, type FieldErrors, type SettingsDraft } from './settings-draft';
import type { ParleyActions } from './use-parley';

interface SettingsDialogProps {
  settings: Settings;
  toolServers: ToolServerView[] | null;
  hasApiKey: boolean;
  level: number;
  actions: ParleyActions;
  onClose(): void;
}

/** Option values with the keys of their labels in src/shared/i18n. */
const BACKENDS = [
  { value: 'realtime', labelKey: 'settings.backend.realtime' },
  { value: 'chat-audio', labelKey: 'settings.backend.chatAudio' },
] as const;
const AUDIO_PARTS = [
  { value: 'input_audio', labelKey: 'settings.audioPart.inputAudio' },
  { value: 'audio_url', labelKey: 'settings.audioPart.audioUrl' },
] as const;
const TALK_MODE_OPTIONS = [
  { value: 'hold', labelKey: 'settings.talkMode.hold' },
  { value: 'toggle', labelKey: 'settings.talkMode.toggle' },
] as const;

const CORNER_OPTIONS = [
  { value: 'bottom-right', labelKey: 'settings.desktop.corner.bottomRight' },
  { value: 'bottom-left', labelKey: 'settings.desktop.corner.bottomLeft' },
  { value: 'top-right', labelKey: 'settings.desktop.corner.topRight' },
  { value: 'top-left', labelKey: 'settings.desktop.corner.topLeft' },
] as const;

const LANGUAGE_OPTIONS = [
  { value: 'system', labelKey: 'settings.language.system' },
  { value: 'en', labelKey: 'settings.language.en' },
  { value: 'zh-CN', labelKey: 'settings.language.zhCN' },
] as const;

/**
 * Every setting, in a modal dialog. It edits a draft: nothing reaches the main process until
 * Save, and Save sends only what the shared zod schema accepts. Escape or Cancel drops the draft.
 */
export function SettingsDialog({ settings, toolServers, hasApiKey, level, actions, onClose }: SettingsDialogProps): ReactElement {
  const dialog = useRef<HTMLDialogElement>(null);
  const [draft, setDraft] = useState<SettingsDraft>(() => toDraft(settings));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const { t } = useTranslation();
  const errorText = useErrorText();
  const labelled = <V extends string>(options: ReadonlyArray<{ value: V; labelKey: string }>) => options.map(({ value, labelKey }) => ({ value, label: t(labelKey) }));

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const update = (change: Partial<SettingsDraft>) => {
    setDraft((current) => ({ ...current, ...change }));
    // A field the user is fixing stops shouting; the rest keep their marks until the next Save.
    setErrors((current) => {
      const next = { ...current };
      for (const key of Object.keys(change)) delete next[key as DraftField];
      return next;
    });
  };
  const text = (field: DraftField) => ({ value: String(draft[field]), error: errors[field], onChange: (value: string) => update({ [field]: value }) });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = checkDraft(draft, t);
    if (!checked.ok) {
      setErrors(checked.errors);
      setSaveError(t('settings.needsFixing'));
      // Move focus to the first field in trouble so keyboard users land on it.
      requestAnimationFrame(() => dialog.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setSaving(true);
    const result = await actions.saveSettings(checked.settings);
    setSaving(false);
    if (!result.ok) {
      setSaveError(errorText(result.error));
      return;
    }
    onClose();
  };

  return (
    <dialog
      ref={dialog}
      className="modal settings"
      aria-labelledby="settings-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <form className="settings__form" onSubmit={(event) => void submit(event)} noValidate>
        <header className="modal__header">
          <h2 id="settings-title">{t('settings.title')}</h2>
          <button type="button" className="icon-button" aria-label={t('settings.close')} title={t('settings.closeTitle')} onClick={onClose}>
            <Icon name="close" />
          </button>
        </header>
        <div className="settings__body">
          <fieldset className="settings__section">
            <legend>{t('settings.section.language')}</legend>
            <SelectField id="language" label={t('settings.language.label')} value={draft.language} options={labelled(LANGUAGE_OPTIONS)} onChange={(language) => update({ language })} />
          </fieldset>

          <fieldset className="settings__section">
            <legend>{t('settings.section.apiKey')}</legend>
            <ApiKeySection hasApiKey={hasApiKey} actions={actions} />
          </fieldset>

          <fieldset className="settings__section">
            <legend>{t('settings.section.connection')}</legend>
            <SelectField id="backend" label={t('settings.backend.label')} value={draft.backend} options={labelled(BACKENDS)} onChange={(backend) => update({ backend })} />
            {draft.backend === 'realtime' ? (
              <>
                <TextField id="realtime-url" label={t('settings.realtimeUrl')} type="url" inputMode="url" {...text('realtimeUrl')} hint={t('settings.realtimeUrlHint')} />
                <div className="field-pair">
                  <TextField id="realtime-model" label={t('settings.model')} {...text('realtimeModel')} />
                  <TextField id="realtime-voice" label={t('settings.voice')} {...text('realtimeVoice')} hint={t('settings.voiceHint', { voices: REALTIME_VOICES.join(', ') })} />
                </div>
              </>
            ) : (
              <>
                <TextField id="chat-url" label={t('settings.chatUrl')} type="url" inputMode="url" {...text('chatUrl')} hint={t('settings.chatUrlHint')} />
                <div className="field-pair">
                  <TextField id="chat-model" label={t('settings.model')} {...text('chatModel')} placeholder={t('settings.chatModelPlaceholder')} />
                  <SelectField id="audio-part" label={t('settings.audioPart.label')} value={draft.audioPart} options={labelled(AUDIO_PARTS)} onChange={(audioPart) => update({ audioPart })} />
                </div>
                <div className="field-pair">
                  <TextField id="history-clips" label={t('settings.historyClips')} type="number" inputMode="numeric" {...text('historyClips')} />
                  <TextField id="transcription-model" label={t('settings.transcriptionModel')} {...text('transcriptionModel')} placeholder={t('settings.transcriptionModelPlaceholder')} />
                </div>
                <CheckboxField id="speech-enabled" label={t('settings.speechEnabled')} checked={draft.speechEnabled} onChange={(speechEnabled) => update({ speechEnabled })} hint={t('settings.speechEnabledHint')} />
                {draft.speechEnabled ? (
                  <div className="field-pair">
                    <TextField id="speech-model" label={t('settings.speechModel')} {...text('speechModel')} />
                    <TextField id="speech-voice" label={t('settings.speechVoice')} {...text('speechVoice')} />
                  </div>
                ) : null}
              </>
            )}
            <TextField id="instructions" label={t('settings.instructions')} multiline {...text('instructions')} hint={t('settings.instructionsHint')} />
          </fieldset>

          <fieldset className="settings__section">
            <legend>{t('settings.section.hotkey')}</legend>
            <HotkeyField id="hotkey" value={draft.hotkey} error={errors.hotkey} onChange={(hotkey) => update({ hotkey })} />
            <SelectField id="talk-mode" label={t('settings.talkMode.label')} value={draft.talkMode} options={labelled(TALK_MODE_OPTIONS)} onChange={(talkMode) => update({ talkMode })} hint={t('settings.talkMode.hint')} />
          </fieldset>

          <fieldset className="settings__section">
            <legend>{t('settings.section.devices')}</legend>
            <DeviceSection inputDevice={draft.inputDevice} outputDevice={draft.outputDevice} onChange={update} level={level} actions={actions} />
          </fieldset>

          <fieldset className="settings__section">
            <legend>{t('settings.section.capture')}</legend>
            <div className="field-pair">
              <TextField id="pre-roll" label={t('settings.preRoll')} type="number" inputMode="numeric" suffix={t('settings.ms')} {...text('preRollMs')} hint={t('settings.preRollHint')} />
              <TextField id="post-roll" label={t('settings.postRoll')} type="number" inputMode="numeric" suffix={t('settings.ms')} {...text('postRollMs')} hint={t('settings.postRollHint')} />
            </div>
            <CheckboxField id="keep-mic-warm" label={t('settings.keepMicWarm')} checked={draft.keepMicWarm} onChange={(keepMicWarm) => update({ keepMicWarm })} hint={t('settings.keepMicWarmHint')} />
          </fieldset>

          <fieldset className="settings__section">
            <legend>{t('settings.section.desktop')}</legend>
            <CheckboxField id="start-at-login" label={t('settings.desktop.startAtLogin')} checked={draft.startAtLogin} onChange={(startAtLogin) => update({ startAtLogin })} />
            <CheckboxField id="start-hidden" label={t('settings.desktop.startHidden')} checked={draft.startHidden} onChange={(startHidden) => update({ startHidden })} hint={t('settings.desktop.startHiddenHint')} />
            <CheckboxField id="indicator" label={t('settings.desktop.indicator')} checked={draft.indicator} onChange={(indicator) => update({ indicator })} hint={t('settings.desktop.indicatorHint')} />
            <SelectField id="indicator-corner" label={t('settings.desktop.corner.label')} value={draft.indicatorCorner} options={labelled(CORNER_OPTIONS)} onChange={(indicatorCorner) => update({ indicatorCorner })} />
            <DiagnosticsButtons actions={actions} />
          </fieldset>

          <fieldset className="settings__section">
            <legend>{t('settings.section.tools')}</legend>
            <ToolsSection servers={toolServers} configs={settings.tools.mcpServers} callTimeoutMs={settings.tools.callTimeoutMs} actions={actions} />
          </fieldset>

          <fieldset className="settings__section">
            <legend>{t('settings.section.history')}</legend>
            <CheckboxField id="keep-history" label={t('settings.keepHistory')} checked={draft.keepHistory} onChange={(keepHistory) => update({ keepHistory })} hint={t('settings.keepHistoryHint')} />
          </fieldset>
        </div>
        <footer className="settings__footer">
          {saveError ? (
            <p className="settings__save-error" role="alert">
              <Icon name="alert" />
              {saveError}
            </p>
          ) : (
            <p className="settings__footnote">{t('settings.footnote')}</p>
          )}
          <div className="button-row">
            <button type="button" className="button" onClick={onClose}>
              {t('settings.cancel')}
            </button>
            <button type="submit" className="button button--primary" disabled={saving}>
              {saving ? t('settings.saving') : t('settings.save')}
            </button>
          </div>
        </footer>
      </form>
    </dialog>
  );
}
