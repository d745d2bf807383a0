/**
 * Channel names, apart from ipc.ts so the sandboxed preload can import them without
 * bundling zod: it needs the names, never the schemas (main validates every input).
 */
export const IPC_EVENTS_CHANNEL = 'parley:events';
