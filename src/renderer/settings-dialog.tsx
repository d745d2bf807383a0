import { useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { REALTIME_VOICES, type Settings } from '../shared/settings';
import { ApiKeySection } from './api-key-section';
import { DeviceSection } from './device-section';
import { CheckboxField, SelectField, TextField } from './form-fields';
import { HotkeyField } from './hotkey-field';
import { Icon } from './icons';
import { checkDraft, toDraft, type DraftField, type FieldErrors, type SettingsDraft } from './settings-draft';
import type { ParleyActions } from './use-parley';

interface SettingsDialogProps {
  settings: Settings;
  hasApiKey: boolean;
  level: number;
  actions: ParleyActions;
  onClose(): void;
}

const BACKENDS = [
  { value: 'realtime', label: 'Realtime (OpenAI and compatible)' },
  { value: 'chat-audio', label: 'Chat with audio (vLLM and compatible)' },
] as const;
const AUDIO_PARTS = [
  { value: 'input_audio', label: 'input_audio (base64 WAV)' },
  { value: 'audio_url', label: 'audio_url (data URL)' },
] as const;

/**
 * Every setting, in a modal dialog. It edits a draft: nothing reaches the main process until
 * Save, and Save sends only what the shared zod schema accepts. Escape or Cancel drops the draft.
 */
export function SettingsDialog({ settings, hasApiKey, level, actions, onClose }: SettingsDialogProps): ReactElement {
  const dialog = useRef<HTMLDialogElement>(null);
  const [draft, setDraft] = useState<SettingsDraft>(() => toDraft(settings));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

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
    const checked = checkDraft(draft);
    if (!checked.ok) {
      setErrors(checked.errors);
      setSaveError('Some settings need fixing. Nothing was saved.');
      // Move focus to the first field in trouble so keyboard users land on it.
      requestAnimationFrame(() => dialog.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setSaving(true);
    const result = await actions.saveSettings(checked.settings);
    setSaving(false);
    if (!result.ok) {
      setSaveError(result.error.message);
      return;
    }
    onClose();
  };

  return (
    <dialog
      ref={dialog}
      className="settings"
      aria-labelledby="settings-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <form className="settings__form" onSubmit={(event) => void submit(event)} noValidate>
        <header className="settings__header">
          <h2 id="settings-title">Settings</h2>
          <button type="button" className="icon-button" aria-label="Close settings" title="Close (Esc)" onClick={onClose}>
            <Icon name="close" />
          </button>
        </header>
        <div className="settings__body">
          <fieldset className="settings__section">
            <legend>OpenAI API key</legend>
            <ApiKeySection hasApiKey={hasApiKey} actions={actions} />
          </fieldset>

          <fieldset className="settings__section">
            <legend>Connection and voice</legend>
            <SelectField id="backend" label="Backend" value={draft.backend} options={BACKENDS} onChange={(backend) => update({ backend })} />
            {draft.backend === 'realtime' ? (
              <>
                <TextField id="realtime-url" label="Endpoint URL" type="url" inputMode="url" {...text('realtimeUrl')} hint="A ws:// or wss:// address." />
                <div className="field-pair">
                  <TextField id="realtime-model" label="Model" {...text('realtimeModel')} />
                  <TextField id="realtime-voice" label="Voice" {...text('realtimeVoice')} hint={`OpenAI voices: ${REALTIME_VOICES.join(', ')}.`} />
                </div>
              </>
            ) : (
              <>
                <TextField id="chat-url" label="Server URL" type="url" inputMode="url" {...text('chatUrl')} hint="The part before /chat/completions, e.g. http://localhost:8000/v1." />
                <div className="field-pair">
                  <TextField id="chat-model" label="Model" {...text('chatModel')} placeholder="First model the server lists" />
                  <SelectField id="audio-part" label="Audio part form" value={draft.audioPart} options={AUDIO_PARTS} onChange={(audioPart) => update({ audioPart })} />
                </div>
                <div className="field-pair">
                  <TextField id="history-clips" label="Earlier clips sent as history" type="number" inputMode="numeric" {...text('historyClips')} />
                  <TextField id="transcription-model" label="Transcription model" {...text('transcriptionModel')} placeholder="None" />
                </div>
                <CheckboxField id="speech-enabled" label="Speak replies aloud" checked={draft.speechEnabled} onChange={(speechEnabled) => update({ speechEnabled })} hint="Uses the server's /audio/speech endpoint." />
                {draft.speechEnabled ? (
                  <div className="field-pair">
                    <TextField id="speech-model" label="Speech model" {...text('speechModel')} />
                    <TextField id="speech-voice" label="Speech voice" {...text('speechVoice')} />
                  </div>
                ) : null}
              </>
            )}
            <TextField id="instructions" label="Instructions" multiline {...text('instructions')} hint="What the assistant is told before every conversation." />
          </fieldset>

          <fieldset className="settings__section">
            <legend>Hotkey</legend>
            <HotkeyField id="hotkey" value={draft.hotkey} error={errors.hotkey} onChange={(hotkey) => update({ hotkey })} />
          </fieldset>

          <fieldset className="settings__section">
            <legend>Devices</legend>
            <DeviceSection inputDevice={draft.inputDevice} outputDevice={draft.outputDevice} onChange={update} level={level} actions={actions} />
          </fieldset>

          <fieldset className="settings__section">
            <legend>Capture</legend>
            <div className="field-pair">
              <TextField id="pre-roll" label="Pre-roll" type="number" inputMode="numeric" suffix="ms" {...text('preRollMs')} hint="Audio kept from before the key went down." />
              <TextField id="post-roll" label="Post-roll" type="number" inputMode="numeric" suffix="ms" {...text('postRollMs')} hint="Longest Parley listens on after the key comes up, while you are still speaking." />
            </div>
            <CheckboxField id="keep-mic-warm" label="Keep the microphone warm" checked={draft.keepMicWarm} onChange={(keepMicWarm) => update({ keepMicWarm })} hint="Keeps the mic open so your first word is never cut off. Your system may show a mic indicator." />
          </fieldset>

          <fieldset className="settings__section">
            <legend>History</legend>
            <CheckboxField id="keep-history" label="Keep history" checked={draft.keepHistory} onChange={(keepHistory) => update({ keepHistory })} hint="Saves your conversations on this computer so you can search, continue and export them. Off: nothing new is saved." />
          </fieldset>
        </div>
        <footer className="settings__footer">
          {saveError ? (
            <p className="settings__save-error" role="alert">
              <Icon name="alert" />
              {saveError}
            </p>
          ) : (
            <p className="settings__footnote">Changes apply as soon as you save.</p>
          )}
          <div className="button-row">
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button button--primary" disabled={saving}>
              {saving ? 'Saving…' : 'Save'}
            </button>
          </div>
        </footer>
      </form>
    </dialog>
  );
}
