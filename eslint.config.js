import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench/results/**', 'test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // Layers: each part of the app imports only what it may run beside. Relative imports are how
  // our code reaches other parts of itself, so these rules match import paths.
  {
    // The engine runs in plain Node (headless mode and tests): only the Electron glue may import
    // electron, and the engine never reaches into that glue, the window or the preload.
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only src/main/index.ts and src/main/electron/ may import electron.' }],
          patterns: [
            { regex: '^(\\.\\./)+electron/', message: 'The engine must not import the Electron glue; the glue imports the engine.' },
            { regex: '^(\\.\\./)+(renderer|preload)/', message: 'src/main must not import the window or the preload; share types through src/shared.' },
          ],
        },
      ],
    },
  },
  {
    // Inside the engine, lower layers do not reach up: the devices know nothing of backends or
    // sessions, and backends read the session's conversation through the interface they declare.
    files: ['src/main/audio/**/*.ts', 'src/main/hotkey/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only src/main/index.ts and src/main/electron/ may import electron.' }],
          patterns: [{ regex: '^\\.\\./(?!user-facing-error$)(?!timer-after-io$)(?!\\.\\./shared/)', message: 'Devices and the hotkey import only their own folder, src/shared, user-facing-error and timer-after-io.' }],
        },
      ],
    },
  },
  {
    files: ['src/main/backends/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only src/main/index.ts and src/main/electron/ may import electron.' }],
          patterns: [{ regex: '^(\\.\\./)+(session|ipc|history|electron|headless|settings|renderer|preload)/', message: 'Backends do not reach up into the session, the IPC, the history or the glue; they declare what they need (voice-backend.ts).' }],
        },
      ],
    },
  },
  {
    // The Electron glue may use electron and the engine, but not the window or the preload.
    files: ['src/main/index.ts', 'src/main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(\\.\\./)+(renderer|preload)/', message: 'src/main must not import the window or the preload; share types through src/shared.' }] }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./', message: 'src/shared imports nothing else of ours: main, preload and renderer all import it.' }] }],
    },
  },
  {
    // The preload uses electron's contextBridge and ipcRenderer, and the IPC contract; nothing more.
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./(?!shared/)', message: 'The preload imports only src/shared.' }] }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The window reaches main only through the preload and the IPC contract in src/shared.' }],
          patterns: [{ regex: '^\\.\\./(?!shared/)', message: 'The window imports only src/shared.' }],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
);
