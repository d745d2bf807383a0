import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EncryptedApiKeyStore, NO_KEYRING_MESSAGE } from '../../../src/main/settings/api-key-store';
import { UserFacingError } from '../../../src/main/user-facing-error';
import { aesTestCipher } from './aes-test-cipher';

const KEY = 'sk-test-0123456789abcdef';
let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-key-'));
  path = join(dir, 'api-key.bin');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('EncryptedApiKeyStore', () => {
  it('has no key at first', async () => {
    const store = new EncryptedApiKeyStore({ path, cipher: aesTestCipher() });
    expect(await store.lookup()).toEqual({ key: null, problem: null });
    expect(await store.get()).toBeNull();
  });

  it('stores the key encrypted and reads it back', async () => {
    const cipher = aesTestCipher();
    await new EncryptedApiKeyStore({ path, cipher }).set(`  ${KEY}\n`);
    const onDisk = await readFile(path);
    expect(onDisk.includes(Buffer.from(KEY))).toBe(false);
    const reopened = new EncryptedApiKeyStore({ path, cipher });
    expect((await reopened.lookup()).key).toBe(KEY);
    expect(await reopened.get()).toBe(KEY);
    expect(await readdir(dir)).toEqual(['api-key.bin']);
  });

  it('clears the key', async () => {
    const store = new EncryptedApiKeyStore({ path, cipher: aesTestCipher() });
    await store.set(KEY);
    await store.clear();
    expect(await store.lookup()).toEqual({ key: null, problem: null });
    expect(await store.get()).toBeNull();
    await store.clear();
  });

  it('refuses to store the key without a keyring, and writes nothing', async () => {
    const store = new EncryptedApiKeyStore({ path, cipher: aesTestCipher(false) });
    const failure = await store.set(KEY).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UserFacingError);
    expect((failure as UserFacingError).message).toBe(NO_KEYRING_MESSAGE);
    expect(await readdir(dir)).toEqual([]);
  });

  it('falls back to the environment key when none is stored, and prefers a stored one', async () => {
    const cipher = aesTestCipher();
    const store = new EncryptedApiKeyStore({ path, cipher, environmentKey: ' sk-from-env ' });
    expect((await store.lookup()).key).toBe('sk-from-env');
    expect(await store.get()).toBe('sk-from-env');
    await store.set(KEY);
    expect(await store.get()).toBe(KEY);
    expect(await new EncryptedApiKeyStore({ path, cipher, environmentKey: '' }).get()).toBe(KEY);
  });

  it('explains a key it can no longer decrypt', async () => {
    await new EncryptedApiKeyStore({ path, cipher: aesTestCipher() }).set(KEY);
    const otherKeyring = new EncryptedApiKeyStore({ path, cipher: aesTestCipher() });
    await expect(otherKeyring.get()).rejects.toThrow('Open Settings and paste your key again.');
    const lookup = await otherKeyring.lookup();
    expect(lookup.key).toBeNull();
    expect(lookup.problem?.message).toMatch(/could not unlock your saved API key/);
    expect(await new EncryptedApiKeyStore({ path, cipher: aesTestCipher() }).lookup()).toMatchObject({ key: null });
  });

  it('treats an empty file as no key', async () => {
    await writeFile(path, '');
    expect(await new EncryptedApiKeyStore({ path, cipher: aesTestCipher() }).lookup()).toEqual({ key: null, problem: null });
  });
});
