import { useEffect, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_CALL_TIMEOUT_MS, MIN_CALL_TIMEOUT_MS, type McpServerEntry } from '../shared/tool-settings';
import type { ToolServerView } from '../shared/tool-view';
import { useErrorText, windowError, type ErrorLike } from './i18n';
import type { Translate } from './settings-draft';
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

/** A JSON example, the same in every language: it is what the user types. */
const EXAMPLE = '{"mcpServers": {"files": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/home/me"]}}}';

/**
 * The Tools part of Settings: every tool source (Parley's built-in tools first, then each MCP
 * server) with its live status, its tools and their switches, and a box to paste servers in the
 * format other MCP hosts use. Unlike the rest of the dialog, each change here is saved and
 * applied at once (the status it causes is live, so waiting for Save would show stale states).
 * Failures are kept as errors, not sentences, and drawn through useErrorText: keyed ones translated.
 */
export function ToolsSection({ servers, configs, callTimeoutMs, actions }: ToolsSectionProps): ReactElement {
  const [json, setJson] = useState('');
  const [pasteError, setPasteError] = useState<ErrorLike | null>(null);
  const [actionError, setActionError] = useState<ErrorLike | null>(null);
  const [busy, setBusy] = useState(false);
  const [timeoutText, setTimeoutText] = useState(String(callTimeoutMs / 1000));
  const [timeoutError, setTimeoutError] = useState<ErrorLike | null>(null);
  const { t } = useTranslation();
  const errorText = useErrorText();

  const applyTimeout = async () => {
    const seconds = Number(timeoutText.trim());
    if (timeoutText.trim() === '' || !Number.isFinite(seconds)) {
      setTimeoutError(windowError('tools.timeout.notNumber'));
      return;
    }
    const ms = Math.round(seconds * 1000);
    if (ms < MIN_CALL_TIMEOUT_MS || ms > MAX_CALL_TIMEOUT_MS) {
      setTimeoutError(windowError('tools.timeout.outOfRange', { min: MIN_CALL_TIMEOUT_MS / 1000, max: MAX_CALL_TIMEOUT_MS / 1000 }));
      return;
    }
    if (ms === callTimeoutMs) {
      setTimeoutError(null);
      return;
    }
    const result = await actions.setToolCallTimeout(ms);
    setTimeoutError(result.ok ? null : result.error);
  };

  useEffect(() => {
    void actions.getToolServers().then((result) => setActionError(result.ok ? null : result.error));
  }, [actions]);

  const run = async (pending: Promise<{ ok: boolean; error?: ErrorLike }>) => {
    const result = await pending;
    setActionError(result.ok ? null : (result.error ?? null));
  };

  const addServers = async () => {
    setBusy(true);
    const result = await actions.saveToolServers(json);
    setBusy(false);
    if (result.ok) {
      setJson('');
      setPasteError(null);
    } else setPasteError(result.error);
  };

  const edit = (name: string) => {
    const entry = configs[name];
    if (!entry) return;
    setJson(JSON.stringify({ mcpServers: { [name]: entry } }, null, 2));
    setPasteError(null);
  };

  return (
    <div className="tools">
      <p className="field__hint">{t('tools.intro')}</p>
      {actionError ? (
        <p className="field__error" role="alert">
          {errorText(actionError)}
        </p>
      ) : null}
      {servers === null ? <p className="field__hint">{t('tools.loading')}</p> : null}
      {servers?.length === 0 ? <p className="field__hint">{t('tools.none')}</p> : null}
      <ul className="tool-servers">
        {(servers ?? []).map((server) => (
          <li key={server.name} className="tool-server" data-server={server.name} data-state={server.state}>
            <div className="tool-server__header">
              <label className="tool-switch">
                <input type="checkbox" role="switch" checked={server.enabled} aria-label={t('tools.use', { name: serverTitle(server, t) })} onChange={(event) => void run(actions.setToolEnabled(server.name, undefined, event.target.checked))} />
                <span className="tool-server__name">{serverTitle(server, t)}</span>
              </label>
              <span className="tool-server__transport">{server.transport === 'built-in' ? t('tools.builtInTransport') : server.transport}</span>
              <span className={`tool-state tool-state--${server.enabled ? server.state : 'stopped'}`} data-testid="server-state">
                {t(`tools.state.${server.enabled ? server.state : 'stopped'}`)}
              </span>
              {server.transport !== 'built-in' ? (
                <span className="tool-server__actions">
                  <button type="button" className="button button--small" onClick={() => edit(server.name)}>
                    {t('tools.edit')}
                  </button>
                  <button type="button" className="button button--small button--danger" onClick={() => void run(actions.removeToolServer(server.name))}>
                    {t('tools.remove')}
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
                      <input type="checkbox" role="switch" checked={tool.enabled} disabled={!server.enabled} aria-label={t('tools.use', { name: tool.originalName })} onChange={(event) => void run(actions.setToolEnabled(server.name, tool.originalName, event.target.checked))} />
                      <code>{tool.originalName}</code>
                    </label>
                    {tool.readOnly ? <span className="tool-badge">{t('tools.readOnly')}</span> : <span className="tool-badge tool-badge--asks">{t('tools.asksFirst')}</span>}
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
          {t('tools.timeout.label')}
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
          <span className="field__suffix">{t('tools.timeout.seconds')}</span>
        </div>
        {timeoutError ? (
          <p className="field__error" role="alert">
            {errorText(timeoutError)}
          </p>
        ) : (
          <p className="field__hint">{t('tools.timeout.hint')}</p>
        )}
      </div>
      <div className={`field${pasteError ? ' field--invalid' : ''}`}>
        <label className="field__label" htmlFor="mcp-servers-json">
          {t('tools.paste.label')}
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
            {errorText(pasteError)}
          </p>
        ) : (
          <p className="field__hint" id="mcp-servers-json-hint">
            {t('tools.paste.hint')}
          </p>
        )}
        <div className="button-row">
          <button type="button" className="button" disabled={busy || json.trim() === ''} onClick={() => void addServers()}>
            {busy ? t('tools.paste.adding') : t('tools.paste.add')}
          </button>
        </div>
      </div>
    </div>
  );
}

function serverTitle(server: ToolServerView, t: Translate): string {
  return server.transport === 'built-in' ? t('tools.builtIn') : server.name;
}
