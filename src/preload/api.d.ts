import type { ParleyApi } from '../shared/ipc';

declare global {
  interface Window {
    parley: ParleyApi;
  }
}
