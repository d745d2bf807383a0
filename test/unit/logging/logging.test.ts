import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../../src/main/logging/diagnostics';
import { ParleyLog } from '../../../src/main/logging/parley-log';
import { SecretRedactor } from '../../../src/main/secret-redactor';

const KEY = 'sk-proj-Known0Secret0Value0123456789';
const TOKEN = 'ghp_mcpTokenValue42';

describe('SecretRedactor', () => {
  it('blanks known secrets and anything shaped like a credential', () => {
    const redactor = new SecretRedactor({ credentialShapes: true });
    redactor.setSecrets('api-key', [KEY]);
    redactor.setSecrets('mcp', [TOKEN, '1', null]);
    const text = [
      `key ${KEY} in a message`,
      `stderr: token=${TOKEN}`,
      'Authorization: Bearer abcdefghijklmnop',
      '{"authorization":"Bearer zyxwvutsrqponm"}',
      'api-key: az-123456789',
      'a stray sk-anotherKeyNobodyTold0123 in an echo',
      'port 1 and true stay',
    ].join('\n');
    const out = redactor.redact(text);
    for (const secret of [KEY, TOKEN, 'abcdefghijklmnop', 'zyxwvutsrqponm', 'az-123456789', 'anotherKeyNobodyTold0123']) expect(out).not.toContain(secret);
    expect(out).toContain('port 1 and true stay');
  });

  it('forgets a group\'s old secrets when they are replaced', () => {
    const redactor = new SecretRedactor({ credentialShapes: true });
    redactor.setSecrets('mcp', ['old-token-value']);
    redactor.setSecrets('mcp', ['new-token-value']);
    expect(redactor.redact('old-token-value new-token-value')).toBe('old-token-value [redacted]');
  });
});

describe('ParleyLog', () => {
  it('writes redacted lines to its file, rotates at its size cap, and reads back the newest lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-log-'));
    const redactor = new SecretRedactor({ credentialShapes: true });
    redactor.setSecrets('api-key', [KEY]);
    const echoed: string[] = [];
    const log = new ParleyLog({ path: join(dir, 'parley.log'), maxBytes: 4096, redactor, echo: (line) => echoed.push(line) });
    for (let i = 0; i < 300; i++) log.line(`turn ${i} with ${KEY}`);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['parley.log', 'parley.old.log']);
    const written = files.map((file) => readFileSync(join(dir, file), 'utf8')).join('');
    expect(written).not.toContain(KEY);
    expect(echoed.join('\n')).not.toContain(KEY);
    for (const file of files) expect(readFileSync(join(dir, file)).length).toBeLessThanOrEqual(4096 + 200);
    const last = await log.lastLines(2);
    expect(last).toHaveLength(2);
    expect(last[1]).toMatch(/turn 299 with \[redacted\]$/);
  });
});

describe('formatDiagnostics', () => {
  it('has versions, devices, settings and log lines, and no secret', () => {
    const redactor = new SecretRedactor({ credentialShapes: true });
    redactor.setSecrets('api-key', [KEY]);
    const text = formatDiagnostics(
      {
        appVersion: '0.1.0',
        electronVersion: '45.4.1',
        nodeVersion: 'v22.20.0',
        os: 'linux 6.1 x64',
        devices: { inputs: [{ name: 'USB mic', isDefault: true }], outputs: [{ name: 'Speakers', isDefault: false }] },
        settings: { hotkey: 'F9', tools: { mcpServers: { files: { command: 'mcp-files', env: { FILES_TOKEN: 'a-very-secret-token' } }, web: { url: 'https://x', headers: { Authorization: 'Bearer q1w2e3r4t5y6' } } } } },
        logLines: [`[t] connect with ${KEY}`],
      },
      redactor,
    );
    expect(text).toContain('Parley 0.1.0, Electron 45.4.1');
    expect(text).toContain('input: USB mic (default)');
    expect(text).toContain('"hotkey": "F9"');
    expect(text).toContain('"command": "mcp-files"');
    for (const secret of [KEY, 'a-very-secret-token', 'q1w2e3r4t5y6']) expect(text).not.toContain(secret);
  });
});
