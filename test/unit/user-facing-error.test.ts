import { describe, expect, it } from 'vitest';
import { ERROR_POLICY } from '../../src/shared/error-policy';
import { toUserFacingError, UserFacingError, withFollowUp } from '../../src/main/user-facing-error';

describe('UserFacingError: the action beside the message', () => {
  it("offers its code's action from ERROR_POLICY when it names none", () => {
    for (const code of Object.keys(ERROR_POLICY) as Array<keyof typeof ERROR_POLICY>) {
      const error = new UserFacingError(code, 'Something.');
      expect(error.action, code).toBe(ERROR_POLICY[code].action);
      expect(error.toEvent().action, code).toBe(ERROR_POLICY[code].action);
    }
  });

  it('offers its own action where it differs', () => {
    const error = new UserFacingError('server', 'The server refused the request. Check the settings for this server.', { action: 'open-settings' });
    expect(error.action).toBe('open-settings');
    expect(error.toEvent()).toEqual({ type: 'error', code: 'server', message: error.message, action: 'open-settings' });
  });

  it('offers nothing when told so, even where its code would offer a retry', () => {
    const error = new UserFacingError('timeout', 'The server stopped answering.', { action: null });
    expect(error.action).toBeUndefined();
    expect(error.toEvent()).not.toHaveProperty('action');
  });

  it('offers nothing for a code that has no action', () => {
    expect(toUserFacingError(new Error('boom')).toEvent()).not.toHaveProperty('action');
  });
});

describe('withFollowUp', () => {
  const timeout = new UserFacingError('timeout', 'The server stopped answering.', { text: { key: 'errors.chatAudio.timeout.speech', params: { url: 'u', seconds: 4 } } });
  const followUp = { key: 'errors.chatAudio.speechFailed', english: 'Parley went on.' };

  it("keeps the code, and its default action when the follow-up names none", () => {
    const error = withFollowUp(timeout, followUp);
    expect(error).toMatchObject({ code: 'timeout', action: 'retry', message: 'The server stopped answering. Parley went on.' });
    expect(error.toEvent()).toMatchObject({ messageKey: followUp.key, params: { url: 'u', seconds: 4, problem: 'errors.chatAudio.timeout.speech' } });
  });

  it('takes the action the follow-up names, or none for null', () => {
    expect(withFollowUp(timeout, followUp, 'open-settings').action).toBe('open-settings');
    expect(withFollowUp(timeout, followUp, null).action).toBeUndefined();
  });
});
