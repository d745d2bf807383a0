import type { CSSProperties, ReactElement } from 'react';

/**
 * A horizontal mic level bar. The width goes through a CSS variable set from script,
 * which the page's CSP allows (it forbids inline style attributes in markup, not CSSOM).
 */
export function LevelMeter({ level, label }: { level: number; label: string }): ReactElement {
  const clamped = Math.min(1, Math.max(0, level));
  // Speech sits low on a linear scale; a square root makes quiet talking visible.
  const shown = Math.sqrt(clamped);
  const style = { '--level': shown.toFixed(3) } as CSSProperties;
  return (
    <div
      className="level-meter"
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(clamped * 100)}
      style={style}
    >
      <div className="level-meter__fill" />
    </div>
  );
}
