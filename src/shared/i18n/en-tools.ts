/**
 * English for the Tools part of Settings and the approval cards. Split from en.ts only to keep
 * both files short; zh-CN-tools.ts must have the same keys (test/unit/i18n/resources.test.ts).
 * `<tool>` wraps a tool's name, which the window shows as <code>.
 */
export const enTools = {
  intro: 'Switches and servers apply at once. Tools that are not read-only ask before they run.',
  loading: 'Loading tools…',
  none: 'This build of Parley has no tools.',
  builtIn: 'Built-in tools',
  builtInTransport: 'built in',
  state: {
    starting: 'Starting…',
    ready: 'Ready',
    failed: 'Failed',
    stopped: 'Off',
  },
  use: 'Use {{name}}',
  edit: 'Edit',
  remove: 'Remove',
  readOnly: 'read-only',
  asksFirst: 'asks first',
  timeout: {
    label: 'Longest a tool may run',
    seconds: 'seconds',
    hint: 'After this, the model is told the tool timed out.',
    notNumber: 'Enter the number of seconds a tool may run, for example 30.',
    outOfRange: 'Choose between {{min}} and {{max}} seconds.',
  },
  paste: {
    label: 'Add or paste servers',
    hint: 'The format other MCP hosts use. A server with the same name is replaced. Hidden values (••••••••) keep what is saved.',
    add: 'Add servers',
    adding: 'Adding…',
  },
  approval: {
    waiting: 'Tool calls waiting for your answer',
    fromParley: 'Allow <tool>{{name}}</tool> from Parley?',
    fromServer: 'Allow <tool>{{name}}</tool> from “{{server}}”?',
    arguments: 'Arguments',
    allowOnce: 'Allow once',
    alwaysAllow: 'Always allow this tool',
    deny: 'Deny',
  },
} as const;
