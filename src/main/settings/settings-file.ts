import { copyFile, mkdir, readFile, rename } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { SettingsSchema, defaultSettings, type Settings } from '../../shared/settings';
import { writeFileAtomically } from './atomic-file';

/** Where the IPC handlers read and write the user's settings. */
export interface SettingsStore {
  readonly current: Settings;
  /** A problem found while loading, for the window to show; cleared by the next save. */
  readonly notice: string | null;
  save(settings: Settings): Promise<void>;
}

export interface SettingsLoadResult {
  settings: Settings;
  notice: string | null;
}

/** Enough rounds to strip nested problems one level at a time; real files need one or two. */
const MAX_SALVAGE_ROUNDS = 8;

/**
 * The settings as a JSON file (in Electron: `userData/settings.json`).
 *
 * Loading never fails and never loses the user's file:
 * - missing file: defaults, no notice (first run);
 * - not JSON, or not an object: the file is renamed to `<name>.bak`, defaults are written,
 *   and `notice` says so;
 * - valid JSON with some invalid values: only those values fall back to their defaults, the
 *   original is copied to `<name>.bak`, the repaired settings are written, and `notice` names
 *   the settings that were reset;
 * - unknown keys (from a newer or older Parley) are dropped quietly.
 * Writes are atomic (temporary file + rename), so a crash mid-save leaves the old file intact.
 */
export class SettingsFile implements SettingsStore {
  #current: Settings = defaultSettings();
  #notice: string | null = null;

  constructor(readonly path: string) {}

  get current(): Settings {
    return this.#current;
  }

  get notice(): string | null {
    return this.#notice;
  }

  async load(): Promise<SettingsLoadResult> {
    const outcome = await this.#read();
    this.#current = outcome.settings;
    this.#notice = outcome.notice;
    return outcome;
  }

  /** Validates again (the caller may be anything) and writes atomically. */
  async save(settings: Settings): Promise<void> {
    const valid = SettingsSchema.parse(settings);
    await mkdir(dirname(this.path), { recursive: true });
    await writeFileAtomically(this.path, `${JSON.stringify(valid, null, 2)}\n`);
    this.#current = valid;
    this.#notice = null;
  }

  get backupPath(): string {
    return `${this.path}.bak`;
  }

  async #read(): Promise<SettingsLoadResult> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (isMissingFile(error)) return { settings: defaultSettings(), notice: null };
      const reason = error instanceof Error ? error.message : String(error);
      return {
        settings: defaultSettings(),
        notice: `Parley could not read your settings file (${reason}), so it started with defaults. Check that ${this.path} is readable.`,
      };
    }

    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.#replaceUnreadable();
    }
    if (!isPlainObject(raw)) return this.#replaceUnreadable();

    const parsed = SettingsSchema.safeParse(raw);
    if (parsed.success) return { settings: parsed.data, notice: null };

    const salvaged = salvage(raw);
    if (!salvaged) return this.#replaceUnreadable();
    const backupName = basename(this.backupPath);
    try {
      await copyFile(this.path, this.backupPath);
      await writeFileAtomically(this.path, `${JSON.stringify(salvaged.settings, null, 2)}\n`);
    } catch {
      // The repaired settings still apply for this run; the original file stays untouched.
    }
    return {
      settings: salvaged.settings,
      notice: `Some of your settings were invalid (${salvaged.reset.join(', ')}), so Parley used the defaults for those. The old file is saved as ${backupName}.`,
    };
  }

  async #replaceUnreadable(): Promise<SettingsLoadResult> {
    const settings = defaultSettings();
    const backupName = basename(this.backupPath);
    try {
      await rename(this.path, this.backupPath);
      await writeFileAtomically(this.path, `${JSON.stringify(settings, null, 2)}\n`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        settings,
        notice: `Your settings file was unreadable, so Parley started with defaults, but it could not set the old file aside (${reason}). Check that ${dirname(this.path)} is writable.`,
      };
    }
    return {
      settings,
      notice: `Your settings file was unreadable, so Parley started with defaults. The old file is saved as ${backupName}.`,
    };
  }
}

/** Removes each invalid value so its default applies; gives up if the shape is hopeless. */
function salvage(raw: Record<string, unknown>): { settings: Settings; reset: string[] } | null {
  const working: Record<string, unknown> = structuredClone(raw);
  const reset = new Set<string>();
  for (let round = 0; round < MAX_SALVAGE_ROUNDS; round++) {
    const parsed = SettingsSchema.safeParse(working);
    if (parsed.success) return { settings: parsed.data, reset: [...reset] };
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String);
      if (path.length === 0 || !deleteAtPath(working, path)) return null;
      reset.add(path.join('.'));
    }
  }
  return null;
}

function deleteAtPath(target: Record<string, unknown>, path: string[]): boolean {
  let node: unknown = target;
  for (const key of path.slice(0, -1)) {
    if (!isPlainObject(node)) return false;
    node = node[key];
  }
  const last = path[path.length - 1];
  if (!isPlainObject(node) || last === undefined || !(last in node)) return false;
  delete node[last];
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMissingFile(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
