import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The project's own ESLint config, on code that crosses a layer, as if it were in the named file. */
async function lint(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('lint keeps the layers apart', () => {
  it.each([
    ['src/main/session/x.ts', "import { App } from '../../renderer/app';"],
    ['src/main/session/x.ts', "import { createMainWindow } from '../electron/main-window';"],
    ['src/main/session/x.ts', "import { app } from 'electron';"],
    ['src/main/electron/x.ts', "import { useParley } from '../../renderer/use-parley';"],
    ['src/shared/x.ts', "import { ParleyEngine } from '../main/session/parley-engine';"],
    ['src/shared/x.ts', "import { App } from '../renderer/app';"],
    ['src/renderer/x.ts', "import { ParleyEngine } from '../main/session/parley-engine';"],
    ['src/renderer/x.ts', "import { ipcRenderer } from 'electron';"],
    ['src/preload/x.ts', "import { ParleyEngine } from '../main/session/parley-engine';"],
    ['src/main/audio/x.ts', "import { MIN_TURN_SAMPLES } from '../backends/voice-backend';"],
    ['src/main/hotkey/x.ts', "import { VoiceSession } from '../session/voice-session';"],
    ['src/main/backends/realtime/x.ts', "import { Conversation } from '../../session/conversation';"],
    ['src/main/backends/x.ts', "import { HistoryRecorder } from '../history/history-recorder';"],
  ])('rejects in %s: %s', async (filePath, code) => {
    expect(await lint(filePath, `${code}\nexport const used = [${code.match(/\{ (\w+) \}/)![1]}];\n`)).toHaveLength(1);
  });

  it.each([
    ['src/main/session/x.ts', "import { SettingsSchema } from '../../shared/settings';"],
    ['src/main/electron/x.ts', "import { ParleyEngine } from '../session/parley-engine';"],
    ['src/renderer/x.ts', "import { SettingsSchema } from '../shared/settings';"],
    ['src/preload/x.ts', "import { contextBridge } from 'electron';"],
    ['src/shared/x.ts', "import { z } from 'zod';"],
    ['src/main/audio/x.ts', "import { UserFacingError } from '../user-facing-error';"],
    ['src/main/audio/x.ts', "import { SettingsSchema } from '../../shared/settings';"],
    ['src/main/backends/chat-audio/x.ts', "import { PcmResampler } from '../../audio/pcm-resampler';"],
  ])('allows in %s: %s', async (filePath, code) => {
    expect(await lint(filePath, `${code}\nexport const used = [${code.match(/\{ (\w+) \}/)![1]}];\n`)).toEqual([]);
  });
});
