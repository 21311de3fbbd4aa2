// "Did you mean": the fields a lab.yaml or front matter object may have at a path, read from its zod schema, and the
// one closest to a misspelt key.
import type { z } from 'zod';

type Def = { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; innerType?: z.ZodType; options?: z.ZodType[]; in?: z.ZodType };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schemas a value at `path` may match (unions give several). */
function schemasAt(schema: z.ZodType, path: (string | number)[]): z.ZodType[] {
  const def = defOf(schema);
  if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'readonly') return schemasAt(def.innerType!, path);
  if (def.type === 'pipe') return schemasAt(def.in!, path);
  if (def.type === 'union') return def.options!.flatMap((o) => schemasAt(o, path));
  if (path.length === 0) return [schema];
  const [head, ...rest] = path;
  if (def.type === 'object' && typeof head === 'string' && def.shape?.[head]) return schemasAt(def.shape[head], rest);
  if (def.type === 'array' && typeof head === 'number') return schemasAt(def.element!, rest);
  return [];
}

/** The field names an object at `path` of `schema` may have. */
export function knownFields(schema: z.ZodType, path: (string | number)[]): string[] {
  const names = new Set<string>();
  for (const s of schemasAt(schema, path)) {
    const def = defOf(s);
    if (def.type === 'object') for (const k of Object.keys(def.shape ?? {})) names.add(k);
  }
  return [...names];
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The known name closest to `given`, when it is close enough to be a typo (a third of its length at most). */
export function didYouMean(given: string, known: string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = distance(given, name);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(1, Math.floor(given.length / 3)) ? best.name : undefined;
}
