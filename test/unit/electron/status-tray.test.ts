import { describe, expect, it, vi } from 'vitest';
import { createI18n } from '../../../src/shared/i18n/create-i18n';

/**
 * There is no Electron binary on this machine, so `electron` is mocked: Tray and Menu record
 * the tooltip and the menu labels the tray sets, which is all this test reads.
 */
const trays = vi.hoisted(() => [] as Array<{ tooltip: string; labels: string[] }>);

vi.mock('electron', () => {
  class Tray {
    readonly record = { tooltip: '', labels: [] as string[] };
    constructor() {
      trays.push(this.record);
    }
    setContextMenu(menu: { labels: string[] }) {
      this.record.labels = menu.labels;
    }
    setToolTip(text: string) {
      this.record.tooltip = text;
    }
    setImage() {}
    on() {}
    destroy() {}
  }
  const Menu = {
    buildFromTemplate: (items: Array<{ label?: string; type?: string }>) => ({ labels: items.map((item) => item.label ?? `-${item.type ?? ''}-`) }),
  };
  return { Tray, Menu, nativeImage: { createFromBuffer: () => ({}) } };
});

const { StatusTray } = await import('../../../src/main/electron/status-tray');

function makeTray(language: 'en' | 'zh-CN') {
  const tray = new StatusTray({ onShow: () => undefined, onHide: () => undefined, onQuit: () => undefined, i18n: createI18n(language) }, 'idle');
  return { tray, record: trays.at(-1)! };
}

describe('StatusTray', () => {
  it('labels its menu and tooltip in the chosen language', () => {
    const { record } = makeTray('zh-CN');
    expect(record.labels).toEqual(['显示 Parley', '隐藏 Parley', '-separator-', '退出 Parley']);
    expect(record.tooltip).toBe('Parley：就绪');
  });

  it('follows the state in its tooltip, and re-labels everything when the language changes', () => {
    const { tray, record } = makeTray('en');
    expect(record.tooltip).toBe('Parley: Ready');
    tray.setState('listening');
    expect(record.tooltip).toBe('Parley: Listening');
    tray.setLanguage('zh-CN');
    expect(record.labels).toEqual(['显示 Parley', '隐藏 Parley', '-separator-', '退出 Parley']);
    expect(record.tooltip).toBe('Parley：正在聆听');
    tray.setLanguage('en');
    expect(record.labels[0]).toBe('Show Parley');
    expect(record.tooltip).toBe('Parley: Listening');
  });
});
