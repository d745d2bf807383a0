import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { AudioDevice, DeviceList } from '../shared/ipc';
import { SelectField } from './form-fields';
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
  const [problem, setProblem] = useState<string | null>(null);
  const [testing, setTesting] = useState(false);
  const testingRef = useRef(false);

  useEffect(() => {
    let live = true;
    void actions.listDevices().then((result) => {
      if (!live) return;
      if (result.ok) setDevices(result.data);
      else setProblem(result.error.message);
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
      setProblem(result.error.message);
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
        label="Microphone"
        value={inputDevice}
        options={deviceOptions(devices?.inputs, inputDevice)}
        onChange={(value) => onChange({ inputDevice: value })}
      />
      <div className="mic-test">
        <button type="button" className="button" aria-pressed={testing} onClick={() => void toggleTest()}>
          {testing ? 'Stop test' : 'Try your mic'}
        </button>
        <LevelMeter level={testing ? level : 0} label="Microphone test level" />
      </div>
      <SelectField
        id="output-device"
        label="Speaker"
        value={outputDevice}
        options={deviceOptions(devices?.outputs, outputDevice)}
        onChange={(value) => onChange({ outputDevice: value })}
      />
      {problem ? (
        <p className="field__error" role="alert">
          {problem}
        </p>
      ) : null}
    </>
  );
}

/** '' is the system default. A saved device that is not plugged in stays listed, so saving does not drop it. */
function deviceOptions(devices: AudioDevice[] | undefined, current: string): Array<{ value: string; label: string }> {
  const options = [{ value: '', label: 'System default' }];
  for (const device of devices ?? []) options.push({ value: device.name, label: device.isDefault ? `${device.name} (default)` : device.name });
  if (current && !options.some((option) => option.value === current)) options.push({ value: current, label: `${current} (not found)` });
  return options;
}
