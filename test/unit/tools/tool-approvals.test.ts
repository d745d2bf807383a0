import { describe, expect, it } from 'vitest';
import { ToolApprovals } from '../../../src/main/tools/tool-approvals';
import type { ApprovalRequest } from '../../../src/main/tools/tool-approval-policy';

function request(callId: string, signal = new AbortController().signal): ApprovalRequest {
  return { callId, name: 'place_order', server: 'shop', toolKey: 'shop/place_order', description: 'Places an order.', arguments: { item: 'lamp' }, signal };
}

describe('ToolApprovals', () => {
  it('shows a card per request and resolves with the answer given to it', async () => {
    const approvals = new ToolApprovals();
    const shown: string[] = [];
    approvals.onRequest((view) => shown.push(view.callId));
    const answer = approvals.ask(request('c1'));
    expect(shown).toEqual(['c1']);
    expect(approvals.waiting().map((view) => view.callId)).toEqual(['c1']);
    expect(approvals.answer('c1', 'allow-once')).toBe(true);
    await expect(answer).resolves.toBe('allow-once');
    expect(approvals.answer('c1', 'deny')).toBe(false);
    expect(approvals.waiting()).toEqual([]);
  });

  it('withdraws the card when the call is cancelled', async () => {
    const approvals = new ToolApprovals();
    const withdrawn: string[] = [];
    approvals.onWithdrawn((callId) => withdrawn.push(callId));
    const cancel = new AbortController();
    const answer = approvals.ask(request('c2', cancel.signal));
    cancel.abort();
    await expect(answer).resolves.toBe('deny');
    expect(withdrawn).toEqual(['c2']);
    expect(approvals.answer('c2', 'allow-once')).toBe(false);
  });

  it('denies what still waits when disposed', async () => {
    const approvals = new ToolApprovals();
    const answer = approvals.ask(request('c3'));
    approvals.dispose();
    await expect(answer).resolves.toBe('deny');
  });
});
