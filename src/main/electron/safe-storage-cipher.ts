import type { safeStorage as SafeStorage } from 'electron';
import type { StringCipher } from '../settings/api-key-store';

/**
 * Electron's safeStorage as the API key store's cipher. On Linux without a keyring,
 * safeStorage still "encrypts" with a hard-coded password (the `basic_text` backend); that
 * protects nothing, so it counts as unavailable and Parley refuses to store the key.
 */
export function safeStorageCipher(safeStorage: typeof SafeStorage, platform: NodeJS.Platform = process.platform): StringCipher {
  return {
    isEncryptionAvailable: () =>
      safeStorage.isEncryptionAvailable() && (platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'),
    encryptString: (plainText) => safeStorage.encryptString(plainText),
    decryptString: (encrypted) => safeStorage.decryptString(encrypted),
  };
}
