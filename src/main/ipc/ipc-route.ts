import type { z } from 'zod';
import { IpcRoutes, type IpcFailure, type IpcOutputs, type IpcRoute, type Result } from '../../shared/ipc';
import { toUserFacingError, UserFacingError } from '../user-facing-error';

/** One function per route: takes the raw, untrusted input and answers with a Result. Never throws. */
export type IpcHandler<R extends IpcRoute> = (input: unknown) => Promise<Result<IpcOutputs[R]>>;

type ParsedInput<R extends IpcRoute> = z.output<(typeof IpcRoutes)[R]>;

/** Validates the input with the route's schema, runs the body, and turns any failure into a sentence. */
export function route<R extends IpcRoute>(name: R, body: (input: ParsedInput<R>) => Promise<IpcOutputs[R]>): IpcHandler<R> {
  const schema: z.ZodType<ParsedInput<R>> = IpcRoutes[name] as unknown as z.ZodType<ParsedInput<R>>;
  return async (input) => {
    const parsed = schema.safeParse(input);
    // Input from the Settings dialog can be fixed there; any other bad input is a refused call.
    const code = /^(settings|apiKey|tools)\./.test(name) ? 'bad-settings' : 'refused';
    if (!parsed.success) return failure(new UserFacingError(code, describeInvalidInput(parsed.error)));
    try {
      return { ok: true, data: await body(parsed.data) };
    } catch (error) {
      return failure(toUserFacingError(error));
    }
  };
}

export function asIpcFailure(error: UserFacingError): IpcFailure {
  const { type: _type, ...detail } = error.toEvent();
  return detail;
}

function failure(error: UserFacingError): { ok: false; error: IpcFailure } {
  return { ok: false, error: asIpcFailure(error) };
}

/**
 * Turns zod's issues into words for the window, naming the field and the fix, for example
 * "Check capture.preRollMs: Too big: expected number to be <=2000."
 */
function describeInvalidInput(error: z.ZodError): string {
  const sentences = error.issues.slice(0, 3).map((issue) => {
    const field = issue.path.map(String).join('.');
    return asSentence(field ? `Check ${field}: ${issue.message}` : `Parley could not use that request: ${issue.message}`);
  });
  if (error.issues.length > 3) sentences.push(`${error.issues.length - 3} more settings need fixing too.`);
  return sentences.join(' ');
}

function asSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
