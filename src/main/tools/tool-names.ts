/** What the OpenAI APIs accept as a function name. */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_NAME_LENGTH = 64;

export interface NamedTool {
  server: string;
  /** The name the server knows the tool by; calls use it. */
  originalName: string;
}

/**
 * Gives each tool the name declared to the model. A tool keeps its own name (made valid) when no
 * other tool has it: models pick tools by reading their names, and `lookup_order` reads better than
 * `orders_lookup_order`. When two servers offer the same name, both become `server_tool`, so
 * neither silently wins and the name says where each comes from. Order of `tools` breaks the rare
 * tie left after that with a numeric suffix. Returns declared names in the order of `tools`.
 */
export function assignToolNames(tools: readonly NamedTool[]): string[] {
  const plain = tools.map((tool) => validName(tool.originalName));
  const counts = countOf(plain);
  const wanted = tools.map((tool, index) => (counts.get(plain[index]!)! > 1 ? validName(`${tool.server}_${tool.originalName}`) : plain[index]!));
  const taken = new Set<string>();
  return wanted.map((name) => {
    let unique = name;
    for (let suffix = 2; taken.has(unique); suffix++) unique = `${name.slice(0, MAX_NAME_LENGTH - String(suffix).length - 1)}_${suffix}`;
    taken.add(unique);
    return unique;
  });
}

function validName(name: string): string {
  const replaced = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, MAX_NAME_LENGTH);
  return replaced === '' ? 'tool' : replaced;
}

function countOf(names: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}
