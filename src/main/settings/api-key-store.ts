import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { toUserFacingError, UserFacingError } from '../user-facing-error';
import { writeFileAtomically } from './atomic-file';

/** Keeps the API key in the main process. Nothing here ever hands the key to the window. */
export interface ApiKeyStore {
  /** The key, or null when none is set. Throws a UserFacingError when the stored key cannot be decrypted. */
  get(): Promise<string | null>;
  /** The key or why the saved one cannot be used; never throws. */
  lookup(): Promise<ApiKeyLookup>;
  /** Throws a UserFacingError when the key cannot be stored safely. */
  set(key: string): Promise<void>;
  clear(): Promise<void>;
}

/**
 * The OS encryption Parley relies on. Electron's `safeStorage` has exactly this shape;
 * tests pass a reversible stand-in.
 */
export interface StringCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export interface EncryptedApiKeyStoreOptions {
  /** Where the ciphertext lives (in Electron: `userData/api-key.bin`). */
  path: string;
  cipher: StringCipher;
  /**
   * A key from the environment (OPENAI_API_KEY), used when none is stored. It is the way out
   * on systems without a keyring, where Parley refuses to store the key.
   */
  environmentKey?: string | null;
}

export const NO_KEYRING_MESSAGE =
  'Parley cannot store your API key safely because this system has no keyring to encrypt it with. ' +
  'Install and unlock a keyring (GNOME Keyring or KWallet) and try again, or start Parley with the OPENAI_API_KEY environment variable set.';

/** The key, or why a saved one could not be used. */
export interface ApiKeyLookup {
  key: string | null;
  /** Set when a key is saved but could not be read or unlocked. */
  problem: UserFacingError | null;
}

/**
 * Stores the key encrypted with the OS keyring. When encryption is not available it refuses
 * (with a sentence saying what to do) rather than silently writing the key in plain text.
 */
export class EncryptedApiKeyStore implements ApiKeyStore {
  readonly #path: string;
  readonly #cipher: StringCipher;
  readonly #environmentKey: string | null;

  constructor(options: EncryptedApiKeyStoreOptions) {
    this.#path = options.path;
    this.#cipher = options.cipher;
    const fromEnvironment = options.environmentKey?.trim();
    this.#environmentKey = fromEnvironment ? fromEnvironment : null;
  }

  async get(): Promise<string | null> {
    const ciphertext = await this.#readCiphertext();
    if (ciphertext === null) return this.#environmentKey;
    try {
      return this.#cipher.decryptString(ciphertext);
    } catch (error) {
      if (this.#environmentKey) return this.#environmentKey;
      throw new UserFacingError(
        'no-api-key',
        'Parley could not unlock your saved API key (the system keyring may have changed). Open Settings and paste your key again.',
        { cause: error, text: { key: 'errors.apiKey.cannotUnlock' } },
      );
    }
  }

  /**
   * The key, or why there is none that can be used: never throws. A saved key that cannot be
   * unlocked is a different problem from no key at all, and the user must be told which.
   */
  async lookup(): Promise<ApiKeyLookup> {
    try {
      return { key: await this.get(), problem: null };
    } catch (error) {
      return { key: null, problem: toUserFacingError(error) };
    }
  }

  async set(key: string): Promise<void> {
    const trimmed = key.trim();
    if (!trimmed) throw new UserFacingError('no-api-key', 'Paste your API key first.', { text: { key: 'errors.apiKey.pasteFirst' } });
    if (!this.#cipher.isEncryptionAvailable()) {
      throw new UserFacingError('no-api-key', NO_KEYRING_MESSAGE, { text: { key: 'errors.apiKey.noKeyring' } });
    }
    const ciphertext = this.#cipher.encryptString(trimmed);
    await mkdir(dirname(this.#path), { recursive: true });
    await writeFileAtomically(this.#path, ciphertext);
  }

  async clear(): Promise<void> {
    await rm(this.#path, { force: true });
  }

  async #readCiphertext(): Promise<Buffer | null> {
    try {
      const bytes = await readFile(this.#path);
      return bytes.length > 0 ? bytes : null;
    } catch (error) {
      if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return null;
      throw error;
    }
  }
}
