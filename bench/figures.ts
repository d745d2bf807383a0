/** One measured figure and its target; for latencies, `value` is the median. */
export interface Figure {
  name: string;
  unit: string;
  value: number;
  target: number;
  p95?: number;
  max?: number;
  samples?: number;
}

export function summarize(name: string, unit: string, values: number[], target: number): Figure {
  if (values.length === 0) return { name, unit, value: Number.NaN, target, samples: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (share: number): number => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
  return { name, unit, value: at(0.5), p95: at(0.95), max: sorted.at(-1)!, target, samples: values.length };
}

export function meets(figure: Figure): boolean {
  return Number.isFinite(figure.value) && (figure.p95 ?? figure.value) <= figure.target;
}

export function formatTable(figures: Figure[]): string {
  const rows = figures.map((figure) => [
    figure.name,
    `${figure.value.toFixed(2)} ${figure.unit}`,
    figure.p95 === undefined ? '' : `${figure.p95.toFixed(2)} / ${figure.max!.toFixed(2)}`,
    figure.samples === undefined ? '' : String(figure.samples),
    `≤ ${figure.target.toFixed(1)}`,
    meets(figure) ? 'ok' : 'MISSED',
  ]);
  const header = ['figure', 'median / value', 'p95 / max', 'n', 'target', ''];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
