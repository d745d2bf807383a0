import { ListenerSet } from '../audio/listener-set';
import type { ApprovalView } from '../../shared/tool-view';
import type { ApprovalAnswer, ApprovalRequest } from './tool-approval-policy';

interface Pending {
  view: ApprovalView;
  resolve(answer: ApprovalAnswer): void;
  stopWatching(): void;
}

/**
 * The window's side of ToolApprovalPolicy's `approve` hook: each request becomes an approval
 * card (`onRequest`), and waits until the window answers it (`answer`, called only by the
 * card's buttons) or the call is cancelled, which withdraws the card (`onWithdrawn`).
 *
 *   const approvals = new ToolApprovals();
 *   const policy = new ToolApprovalPolicy({ mode: 'read-only', approve: approvals.ask });
 */
export class ToolApprovals {
  private readonly pending = new Map<string, Pending>();
  private readonly requested = new ListenerSet<[ApprovalView]>();
  private readonly withdrawn = new ListenerSet<[string]>();

  constructor(private readonly log: (line: string) => void = () => undefined) {}

  /** The `approve` hook. Resolves with the user's answer; a cancelled call's card is withdrawn. */
  readonly ask = (request: ApprovalRequest): Promise<ApprovalAnswer> =>
    new Promise<ApprovalAnswer>((resolve) => {
      const view: ApprovalView = { callId: request.callId, name: request.name, server: request.server, description: request.description, arguments: request.arguments };
      const onAbort = (): void => {
        if (!this.pending.delete(request.callId)) return;
        // The policy stops waiting on the abort by itself; this only takes the card away.
        this.withdrawn.emit([request.callId], this.onListenerError);
        resolve('deny');
      };
      this.pending.set(request.callId, { view, resolve, stopWatching: () => request.signal.removeEventListener('abort', onAbort) });
      request.signal.addEventListener('abort', onAbort, { once: true });
      this.requested.emit([view], this.onListenerError);
      if (request.signal.aborted) onAbort();
    });

  /** The window's answer. False when no card waits under that id (already answered or withdrawn). */
  answer(callId: string, answer: ApprovalAnswer): boolean {
    const entry = this.pending.get(callId);
    if (!entry) return false;
    this.pending.delete(callId);
    entry.stopWatching();
    entry.resolve(answer);
    return true;
  }

  /** Cards still waiting, for a window that (re)loads. */
  waiting(): ApprovalView[] {
    return [...this.pending.values()].map((entry) => entry.view);
  }

  onRequest(listener: (view: ApprovalView) => void): () => void {
    return this.requested.add(listener);
  }

  onWithdrawn(listener: (callId: string) => void): () => void {
    return this.withdrawn.add(listener);
  }

  /** Denies whatever still waits: nobody is left to answer. */
  dispose(): void {
    for (const callId of [...this.pending.keys()]) this.answer(callId, 'deny');
    this.requested.clear();
    this.withdrawn.clear();
  }

  private readonly onListenerError = (error: unknown): void => this.log(`approval listener failed: ${String(error)}`);
}
