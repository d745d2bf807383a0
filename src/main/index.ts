import './electron/thread-pool-size';
import { app } from 'electron';
import { ParleyApp } from './electron/parley-app';
import { ParleyEngine } from './session/parley-engine';

/**
 * Parley's Electron entry point: one instance, one window, a tray icon, and the engine.
 * Everything below is wiring; the parts live in ./electron (Electron glue), ./ipc and
 * ./settings (plain Node) and ./session (the engine).
 */

if (!app.requestSingleInstanceLock()) {
  // Another Parley is running: it gets our 'second-instance' event and shows its window.
  app.quit();
} else {
  const parley = new ParleyApp({
    createEngine: (options) => new ParleyEngine(options),
    mainDir: import.meta.dirname,
  });

  app.on('second-instance', () => parley.showWindow());
  // The tray keeps Parley (and its hotkey) alive with no window open.
  app.on('window-all-closed', () => undefined);
  app.on('activate', () => parley.showWindow());
  app.on('before-quit', () => parley.markQuitting());

  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    // Wait for the engine to close its devices and connection, then quit for real.
    event.preventDefault();
    disposed = true;
    parley
      .dispose()
      .catch((error: unknown) => console.error('Parley could not shut down cleanly:', error))
      .finally(() => app.quit());
  });

  app
    .whenReady()
    .then(() => parley.start())
    .catch((error: unknown) => {
      console.error('Parley could not start:', error);
      app.exit(1);
    });
}
