import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { AudioDevice, DeviceList, IpcFailure } from '../shared/ipc';
import { SelectField } from './form-fields';
import { useErrorText } from './i18n';
import { LevelMeter } from './level-meter';
import type { ParleyActions } from './use-parley';

interface DeviceSectionProps {
  inputDevice: string;
  outputDevice: string;
  onChange(change: { inputDevice?: string; outputDevice?: string }): void;
  level: number;
  actions: Pick<ParleyActions, 'listDevices' | 'startMicTest' | 'stopMicTest'>;
}

/** Input and output pickers, plus a "try your mic" meter that never talks to the backend. */
export function DeviceSection({ inputDevice, outputDevice, onChange, level, actions }: DeviceSectionProps): ReactElement {
  const [devices, setDevices] = useState<DeviceList | null>(null);
  // The failure itself, not its words: they are chosen at render time, in the current language.
  const [problem, setProblem] = useState<IpcFailure | null>(null);
  const [testing, setTesting] = useState(false);
  const testingRef = useRef(false);
  const { t } = useTranslation();
  const errorText = useErrorText();

  useEffect(() => {
    let live = true;
    void actions.listDevices().then((result) => {
      if (!live) return;
      if (result.ok) setDevices(result.data);
      else setProblem(result.error);
    });
    return () => {
      live = false;
    };
  }, [actions]);

  // Closing the dialog must not leave the mic open.
  useEffect(
    () => () => {
      if (testingRef.current) void actions.stopMicTest();
    },
    [actions],
  );

  const toggleTest = async () => {
    const result = testing ? await actions.stopMicTest() : await actions.startMicTest(inputDevice || null);
    if (!result.ok) {
      setProblem(result.error);
      testingRef.current = false;
      setTesting(false);
      return;
    }
    setProblem(null);
    testingRef.current = !testing;
    setTesting(!testing);
  };

  return (
    <>
      <SelectField
        id="input-device"
        label={t('devices.microphone')}
        value={inputDevice}
        options={deviceOptions(devices?.inputs, inputDevice, t)}
        onChange={(value) => onChange({ inputDevice: value })}
      />
      <div className="mic-test">
        <button type="button" className="button" aria-pressed={testing} onClick={() => void toggleTest()}>
          {testing ? t('devices.stopTest') : t('devices.tryMic')}
        </button>
        <LevelMeter level={testing ? level : 0} label={t('devices.testLevel')} />
      </div>
      <SelectField
        id="output-device"
        label={t('devices.speaker')}
        value={outputDevice}
        options={deviceOptions(devices?.outputs, outputDevice, t)}
        onChange={(value) => onChange({ outputDevice: value })}
      />
      {problem ? (
        <p className="field__error" role="alert">
          {errorText(problem)}
        </p>
      ) : null}
    </>
  );
}

/** '' is the system default. A saved device that is not plugged in stays listed, so saving does not drop it. */
function deviceOptions(devices: AudioDevice[] | undefined, current: string, t: TFunction): Array<{ value: string; label: string }> {
  const options = [{ value: '', label: t('devices.systemDefault') }];
  for (const device of devices ?? []) options.push({ value: device.name, label: device.isDefault ? t('devices.isDefault', { name: device.name }) : device.name });
  if (current && !options.some((option) => option.value === current)) options.push({ value: current, label: t('devices.notFound', { name: current }) });
  return options;
}
