import { describe, expect, it } from 'vitest';
import { TOOL_NAME_PATTERN, assignToolNames } from '../../../src/main/tools/tool-names';
import { MAX_TOOL_OUTPUT_CHARS, limitOutput, resultText } from '../../../src/main/tools/tool-result-text';
import { parametersOf } from '../../../src/main/tools/tool-declarations';
import { SecretRedactor } from '../../../src/main/secret-redactor';
import { secretValuesOf } from '../../../src/main/tools/mcp-server-config';

describe('assignToolNames', () => {
  it('keeps unique names, prefixes both sides of a collision with their server, and makes names valid', () => {
    const names = assignToolNames([
      { server: 'parley', originalName: 'get_current_time' },
      { server: 'github', originalName: 'search' },
      { server: 'jira', originalName: 'search' },
      { server: 'home', originalName: 'lights.on' },
      { server: 'x', originalName: 'a'.repeat(80) },
      { server: 'y', originalName: 'a'.repeat(80) },
    ]);
    expect(names.slice(0, 4)).toEqual(['get_current_time', 'github_search', 'jira_search', 'lights_on']);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(TOOL_NAME_PATTERN);
  });
});

describe('tool results as text', () => {
  it('joins text parts word for word and names the parts a voice model cannot use', () => {
    const text = resultText({
      content: [
        { type: 'text', text: 'First  part.' },
        { type: 'image', data: 'A'.repeat(400), mimeType: 'image/png' },
        { type: 'resource', resource: { uri: 'file:///a.txt', text: 'Inside the file.' } },
        { type: 'resource_link', name: 'report', uri: 'file:///r.pdf' },
      ],
    });
    expect(text).toBe('First  part.\n\n[image: image/png, 300 bytes, not shown]\n\nInside the file.\n\n[link: report file:///r.pdf]');
    expect(resultText({ content: [], structuredContent: { a: 1 } })).toBe('{"a":1}');
  });

  it('cuts long text to the stated limit and says so', () => {
    const long = 'y'.repeat(MAX_TOOL_OUTPUT_CHARS + 10);
    const { text, truncated } = limitOutput(long);
    expect(truncated).toBe(true);
    expect(text.startsWith('y'.repeat(MAX_TOOL_OUTPUT_CHARS) + '\n[Cut by Parley')).toBe(true);
    expect(text).toContain(`${MAX_TOOL_OUTPUT_CHARS + 10} characters`);
    expect(limitOutput('short')).toEqual({ text: 'short', truncated: false });
  });

  it('passes schemas as given, adding only a missing type or properties', () => {
    const given = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
    expect(parametersOf(given)).toBe(given);
    expect(parametersOf({})).toEqual({ type: 'object', properties: {} });
  });

  it('redacts env and header values, and the credential after "Bearer"', () => {
    const redactor = new SecretRedactor();
    redactor.setSecrets(
      'mcp',
      secretValuesOf([
        { name: 'a', transport: 'stdio', command: 'x', args: [], env: { TOKEN: 'tok-123456', DEBUG: '1' } },
        { name: 'b', transport: 'http', url: 'http://h', headers: { Authorization: 'Bearer abcdefgh' } },
      ]),
    );
    expect(redactor.redact('t=tok-123456 h=Bearer abcdefgh raw=abcdefgh debug=1')).toBe('t=[redacted] h=[redacted] raw=[redacted] debug=1');
    expect(redactor.redactValue({ q: ['tok-123456'] })).toEqual({ q: ['[redacted]'] });
  });
});
