import type { IpcFailure, Result } from '../shared/ipc';

/** A call to the main process. The preload answers with Results, but a broken bridge could still reject: keep the Result shape. */
export async function callMain<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (error) {
    return { ok: false, error: lostContact(error) };
  }
}

/** The window can no longer reach the main process: a broken bridge, or a main process gone. */
export function lostContact(error: unknown): IpcFailure {
  const detail = error instanceof Error ? error.message : String(error);
  return {
    code: 'internal',
    message: `Parley's window lost contact with the app (${detail}). Restart Parley.`,
    messageKey: 'errors.windowLostContact',
    params: { detail },
  };
}
