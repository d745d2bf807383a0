import { useEffect, useState, type ReactElement } from 'react';
import { MAX_CALL_TIMEOUT_MS, MIN_CALL_TIMEOUT_MS, type McpServerEntry } from '../shared/tool-settings';
import type { ToolServerView } from '../shared/tool-view';
import type { ParleyActions } from './use-parley';
import './tools.css';

type ToolActions = Pick<ParleyActions, 'getToolServers' | 'saveToolServers' | 'removeToolServer' | 'setToolEnabled' | 'setToolCallTimeout'>;

interface ToolsSectionProps {
  servers: ToolServerView[] | null;
  /** The configured servers as stored, their secret values masked by the main process. */
  configs: Record<string, McpServerEntry>;
  callTimeoutMs: number;
  actions: ToolActions;
}

const STATE_WORDS: Record<ToolServerView['state'], string> = { starting: 'Starting…', ready: 'Ready', failed: 'Failed', stopped: 'Off' };
const EXAMPLE = '{"mcpServers": {"files": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/home/me"]}}}';

/**
 * The Tools part of Settings: every tool source (Parley's built-in tools first, then each MCP
 * server) with its live status, its tools and their switches, and a box to paste servers in the
 * format other MCP hosts use. Unlike the rest of the dialog, each change here is saved and
 * applied at once (the status it causes is live, so waiting for Save would show stale states).
 */
export function ToolsSection({ servers, configs, callTimeoutMs, actions }: ToolsSectionProps): ReactElement {
  const [json, setJson] = useState('');
  const [pasteError, setPasteError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [timeoutText, setTimeoutText] = useState(String(callTimeoutMs / 1000));
  const [timeoutError, setTimeoutError] = useState<string | null>(null);

  const applyTimeout = async () => {
    const seconds = Number(timeoutText.trim());
    if (timeoutText.trim() === '' || !Number.isFinite(seconds)) {
      setTimeoutError('Enter the number of seconds a tool may run, for example 30.');
      return;
    }
    const ms = Math.round(seconds * 1000);
    if (ms < MIN_CALL_TIMEOUT_MS || ms > MAX_CALL_TIMEOUT_MS) {
      setTimeoutError(`Choose between ${MIN_CALL_TIMEOUT_MS / 1000} and ${MAX_CALL_TIMEOUT_MS / 1000} seconds.`);
      return;
    }
    if (ms === callTimeoutMs) {
      setTimeoutError(null);
      return;
    }
    const result = await actions.setToolCallTimeout(ms);
    setTimeoutError(result.ok ? null : result.error.message);
  };

  useEffect(() => {
    void actions.getToolServers().then((result) => setActionError(result.ok ? null : result.error.message));
  }, [actions]);

  const run = async (pending: Promise<{ ok: boolean; error?: { message: string } }>) => {
    const result = await pending;
    setActionError(result.ok ? null : (result.error?.message ?? null));
  };

  const addServers = async () => {
    setBusy(true);
    const result = await actions.saveToolServers(json);
    setBusy(false);
    if (result.ok) {
      setJson('');
      setPasteError(null);
    } else setPasteError(result.error.message);
  };

  const edit = (name: string) => {
    const entry = configs[name];
    if (!entry) return;
    setJson(JSON.stringify({ mcpServers: { [name]: entry } }, null, 2));
    setPasteError(null);
  };

  return (
    <div className="tools">
      <p className="field__hint">Switches and servers apply at once. Tools that are not read-only ask before they run.</p>
      {actionError ? (
        <p className="field__error" role="alert">
          {actionError}
        </p>
      ) : null}
      {servers === null ? <p className="field__hint">Loading tools…</p> : null}
      {servers?.length === 0 ? <p className="field__hint">This build of Parley has no tools.</p> : null}
      <ul className="tool-servers">
        {(servers ?? []).map((server) => (
          <li key={server.name} className="tool-server" data-server={server.name} data-state={server.state}>
            <div className="tool-server__header">
              <label className="tool-switch">
                <input type="checkbox" role="switch" checked={server.enabled} aria-label={`Use ${serverTitle(server)}`} onChange={(event) => void run(actions.setToolEnabled(server.name, undefined, event.target.checked))} />
                <span className="tool-server__name">{serverTitle(server)}</span>
              </label>
              <span className="tool-server__transport">{server.transport === 'built-in' ? 'built in' : server.transport}</span>
              <span className={`tool-state tool-state--${server.enabled ? server.state : 'stopped'}`} data-testid="server-state">
                {server.enabled ? STATE_WORDS[server.state] : 'Off'}
              </span>
              {server.transport !== 'built-in' ? (
                <span className="tool-server__actions">
                  <button type="button" className="button button--small" onClick={() => edit(server.name)}>
                    Edit
                  </button>
                  <button type="button" className="button button--small button--danger" onClick={() => void run(actions.removeToolServer(server.name))}>
                    Remove
                  </button>
                </span>
              ) : null}
            </div>
            {server.reason && server.enabled ? <p className="tool-server__reason">{server.reason}</p> : null}
            {server.tools.length > 0 ? (
              <ul className="tool-list">
                {server.tools.map((tool) => (
                  <li key={tool.toolKey} className="tool-list__item" data-tool={tool.originalName}>
                    <label className="tool-switch">
                      <input type="checkbox" role="switch" checked={tool.enabled} disabled={!server.enabled} aria-label={`Use ${tool.originalName}`} onChange={(event) => void run(actions.setToolEnabled(server.name, tool.originalName, event.target.checked))} />
                      <code>{tool.originalName}</code>
                    </label>
                    {tool.readOnly ? <span className="tool-badge">read-only</span> : <span className="tool-badge tool-badge--asks">asks first</span>}
                    <span className="tool-list__description">{tool.description}</span>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
      <div className={`field${timeoutError ? ' field--invalid' : ''}`}>
        <label className="field__label" htmlFor="tool-call-timeout">
          Longest a tool may run
        </label>
        <div className="field__row">
          <input
            id="tool-call-timeout"
            className="field__control tools__timeout"
            type="number"
            inputMode="numeric"
            min={MIN_CALL_TIMEOUT_MS / 1000}
            max={MAX_CALL_TIMEOUT_MS / 1000}
            value={timeoutText}
            aria-invalid={timeoutError ? true : undefined}
            onChange={(event) => setTimeoutText(event.target.value)}
            onBlur={() => void applyTimeout()}
            onKeyDown={(event) => {
              // Enter applies this field only; it must not submit the rest of the dialog.
              if (event.key !== 'Enter') return;
              event.preventDefault();
              void applyTimeout();
            }}
          />
          <span className="field__suffix">seconds</span>
        </div>
        {timeoutError ? (
          <p className="field__error" role="alert">
            {timeoutError}
          </p>
        ) : (
          <p className="field__hint">After this, the model is told the tool timed out.</p>
        )}
      </div>
      <div className={`field${pasteError ? ' field--invalid' : ''}`}>
        <label className="field__label" htmlFor="mcp-servers-json">
          Add or paste servers
        </label>
        <textarea
          id="mcp-servers-json"
          className="field__control tools__json"
          rows={5}
          spellCheck={false}
          value={json}
          placeholder={EXAMPLE}
          aria-invalid={pasteError ? true : undefined}
          aria-describedby={pasteError ? 'mcp-servers-json-error' : 'mcp-servers-json-hint'}
          onChange={(event) => {
            setJson(event.target.value);
            setPasteError(null);
          }}
        />
        {pasteError ? (
          <p className="field__error" id="mcp-servers-json-error" role="alert">
            {pasteError}
          </p>
        ) : (
          <p className="field__hint" id="mcp-servers-json-hint">
            The format other MCP hosts use. A server with the same name is replaced. Hidden values (••••••••) keep what is saved.
          </p>
        )}
        <div className="button-row">
          <button type="button" className="button" disabled={busy || json.trim() === ''} onClick={() => void addServers()}>
            {busy ? 'Adding…' : 'Add servers'}
          </button>
        </div>
      </div>
    </div>
  );
}

function serverTitle(server: ToolServerView): string {
  return server.transport === 'built-in' ? 'Built-in tools' : server.name;
}
