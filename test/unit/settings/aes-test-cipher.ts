import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { StringCipher } from '../../../src/main/settings/api-key-store';

/**
 * Electron's safeStorage needs the Electron binary and an OS keyring, neither of which exists
 * on the test machine, so tests use a real AES-256-GCM cipher with a fresh key in its place.
 */
export function aesTestCipher(available = true): StringCipher {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    encryptString(plainText) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(encrypted) {
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
