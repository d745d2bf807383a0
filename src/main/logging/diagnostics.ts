import type { DeviceList } from '../../shared/ipc';
import type { SecretRedactor } from '../secret-redactor';

export interface DiagnosticsFacts {
  appVersion: string;
  /** Absent in headless mode. */
  electronVersion?: string;
  nodeVersion: string;
  os: string;
  devices: DeviceList | { error: string };
  settings: unknown;
  logLines: string[];
}

/** Keys whose values are credentials wherever they appear in settings (MCP servers' env and headers). */
const SECRET_MAPS = new Set(['env', 'headers']);

/**
 * The text behind "Copy diagnostics": what a bug report needs, with every secret removed.
 * Settings hold no API key, but MCP servers' `env` and `headers` do hold tokens: their
 * values are blanked by name, and the whole text passes through the redactor as well.
 */
export function formatDiagnostics(facts: DiagnosticsFacts, redactor: SecretRedactor): string {
  const lines = [
    `Parley ${facts.appVersion}${facts.electronVersion ? `, Electron ${facts.electronVersion}` : ''}, Node ${facts.nodeVersion}`,
    `OS: ${facts.os}`,
    '',
    'Audio devices:',
    ...('error' in facts.devices
      ? [`  (could not list them: ${facts.devices.error})`]
      : [
          ...facts.devices.inputs.map((device) => `  input: ${device.name}${device.isDefault ? ' (default)' : ''}`),
          ...facts.devices.outputs.map((device) => `  output: ${device.name}${device.isDefault ? ' (default)' : ''}`),
        ]),
    '',
    'Settings:',
    JSON.stringify(withoutSecretValues(facts.settings), null, 2),
    '',
    `Last ${facts.logLines.length} log lines:`,
    ...facts.logLines,
  ];
  return redactor.redact(lines.join('\n'));
}

function withoutSecretValues(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutSecretValues(item));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).map(([name, inner]) => {
    if (SECRET_MAPS.has(key) && typeof inner === 'string') return [name, '[redacted]'];
    return [name, withoutSecretValues(inner, name)];
  });
  return Object.fromEntries(entries);
}
