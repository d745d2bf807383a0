import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { isOwnRendererUrl, type RendererLocation } from './renderer-location';

/** The parts of an IPC event the check reads (an `IpcMainInvokeEvent` has them all). */
export type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

export type SenderCheck = (event: SenderEvent) => boolean;

/**
 * The one gate every IPC handler goes through. A message is trusted only when it comes
 * from our window's webContents, from its top frame (not an iframe), and from our own page
 * (not something the window was tricked into loading).
 */
export function isTrustedSender(event: SenderEvent, ownContents: WebContents | null, location: RendererLocation): boolean {
  if (!ownContents || ownContents.isDestroyed()) return false;
  if (event.sender !== ownContents) return false;
  const frame = event.senderFrame;
  // A frame that navigated away or was destroyed before the message was handled reads as null.
  if (!frame || frame !== ownContents.mainFrame) return false;
  return isOwnRendererUrl(frame.url, location);
}

export function createSenderCheck(getContents: () => WebContents | null, location: RendererLocation): SenderCheck {
  return (event) => isTrustedSender(event, getContents(), location);
}
