import { BUILT_IN_SERVER_NAME } from './mcp-server-config';
import type { McpCallResult } from './tool-result-text';
import type { SourceTool, ToolSource } from './tool-source';

export interface BuiltInToolsOptions {
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  /** The user's IANA time zone; defaults to the system's. */
  timeZone?: string;
}

const CURRENT_TIME: SourceTool = {
  name: 'get_current_time',
  description:
    "Gets the current date and time. Without arguments it answers in the user's own time zone; pass time_zone (an IANA name such as Europe/Paris or America/New_York) for the time somewhere else.",
  inputSchema: {
    type: 'object',
    properties: { time_zone: { type: 'string', description: 'IANA time zone name; leave out for the user’s own time zone.' } },
    additionalProperties: false,
  },
  readOnly: true,
};

/**
 * Parley's own tools: no setup, no network, no files, so they are safe to run without asking.
 * They appear as the source "parley" and can be switched off like any other tool.
 */
export class BuiltInTools implements ToolSource {
  readonly name = BUILT_IN_SERVER_NAME;
  readonly state = 'ready' as const;
  readonly reason = undefined;
  readonly pid = null;
  readonly tools: readonly SourceTool[] = [CURRENT_TIME];
  private readonly now: () => Date;
  private readonly timeZone: string;

  constructor(options: BuiltInToolsOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.timeZone = options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  }

  async start(): Promise<void> {}

  async call(name: string, args: Record<string, unknown>): Promise<McpCallResult> {
    if (name !== CURRENT_TIME.name) throw new Error(`Parley has no built-in tool named "${name}".`);
    const zone = args.time_zone === undefined || args.time_zone === '' ? this.timeZone : String(args.time_zone);
    return { content: [{ type: 'text', text: this.describeTime(zone, args.time_zone === undefined) }] };
  }

  onDidChange(): () => void {
    return () => undefined;
  }

  async dispose(): Promise<void> {}

  private describeTime(zone: string, isUsers: boolean): string {
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, dateStyle: 'full', timeStyle: 'medium' });
    } catch {
      throw new Error(`"${zone}" is not a time zone Parley knows. Use an IANA name such as Europe/Paris.`);
    }
    const now = this.now();
    const offset = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(now).find((part) => part.type === 'timeZoneName')?.value;
    return `${format.format(now)} (time zone ${zone}${offset ? `, ${offset}` : ''}${isUsers ? ", the user's own" : ''}).`;
  }
}
