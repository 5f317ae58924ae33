import { parseQuantity } from '@ai-platform/backstage-plugin-ai-platform-common';
import { z } from 'zod/v4';

/**
 * The zod building blocks of the Kueue object schemas, each with the
 * message a user reads after "Kind/name: field:". A malformed field is fatal
 * for the object it is in (its siblings are still checked); checks across
 * fields (schemas.ts) run once every field they read is well formed.
 */

/**
 * A field read by `read`, which adds its problems to `ctx`: a zod 4
 * transform of its own, cheaper than z.unknown().transform (no pipe).
 */
export function reading<T>(read: (value: unknown, ctx: z.RefinementCtx) => T) {
  return z.transform((value: unknown, ctx) => read(value, ctx as z.RefinementCtx));
}

/** A value as a message quotes it. */
export const got = (value: unknown) => JSON.stringify(value);
/** Whether a field is not set (Kubernetes reads null as not set). */
export const absent = (value: unknown) => value === undefined || value === null;

/** A problem with the field at `path` (below the value being checked). */
export function problem(ctx: z.RefinementCtx, message: string, path: PropertyKey[] = [], fatal = false) {
  ctx.addIssue({ code: 'custom', message, path, continue: !fatal });
}

/**
 * `schema`, plus a check across the fields `reads` picks out. zod runs a
 * refinement only on an object whose every field parsed, so a malformed field
 * elsewhere would hide the check's problem; this check parses just the fields
 * it reads and runs whenever they are well formed.
 */
export function withCheck<S extends z.ZodType, R extends z.ZodType>(
  schema: S,
  reads: R,
  check: (read: z.output<R>, ctx: z.RefinementCtx) => void,
): z.ZodType<z.output<S>, unknown> {
  // The check's problems are not fatal (problem's default), so zod 4 still runs `schema` after them.
  return z.preprocess((value, ctx) => {
    const read = reads.safeParse(value);
    if (read.success) check(read.data, ctx);
    return value;
  }, schema);
}

/** An issue's path as a field: spec.resourceGroups[0].flavors[1].name. */
export function fieldOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out = out ? `${out}.${String(p)}` : String(p);
  }
  return out;
}

const notAString = (value: unknown, hint?: string) =>
  absent(value) ? `is required${hint ? ` (${hint})` : ''}` : `must be a non-empty string, got ${got(value)}`;

/** A required non-empty string; `hint` says what it names when it is missing. */
export function requiredString(hint?: string) {
  return z
    .string({ error: issue => notAString(issue.input, hint) })
    .min(1, { error: 'must be a non-empty string, got ""' });
}

/** A required non-empty string. */
export const str = requiredString();

/** An optional non-empty string. */
export const optStr = str.optional();

/** One of `values`; absent reads as `fallback`, or undefined when there is none. */
export function oneOf<const T extends string>(values: readonly [T, ...T[]]): z.ZodType<T, unknown>;
export function oneOf<const T extends string, F extends T | undefined>(
  values: readonly [T, ...T[]],
  fallback: F,
): z.ZodType<T | F, unknown>;
export function oneOf<const T extends string>(values: readonly [T, ...T[]], ...fallback: [T | undefined] | []) {
  const schema = z.enum(values as [T, ...T[]], {
    error: ({ input }) =>
      typeof input === 'string' && input !== ''
        ? `must be one of ${values.join(', ')}, got "${input}"`
        : notAString(input),
  });
  if (fallback.length === 0) return schema;
  return fallback[0] === undefined ? schema.optional() : schema.default(fallback[0] as never);
}

/*
 * zod 4's optional() of a schema with a default still reads absent as the
 * default, so a list or map that may stay undefined is optList/optStringMap.
 */

/** A list that may be absent (undefined); `message` says what a value that is no list should be. */
export function optList<T extends z.ZodType>(item: T, message = 'must be a list') {
  return z.array(item, { error: message }).optional();
}

/** A list (absent reads as empty); `message` says what a value that is no list should be. */
export function list<T extends z.ZodType>(item: T, message = 'must be a list') {
  return z.array(item, { error: message }).default(() => []);
}

const stringRecord = z.record(z.string(), z.string({ error: ({ input }) => `must be a string, got ${got(input)}` }), {
  error: 'must be a map of strings',
});

/** A map of strings that may be absent (undefined). */
export const optStringMap = stringRecord.optional();

/** A map of strings (absent reads as empty). */
export const stringMap = stringRecord.default(() => ({}));

/** A map of fields that may be absent (undefined). */
export function optFields<T extends z.core.$ZodLooseShape>(shape: T, message = 'must be a map of fields') {
  return z.object(shape, { error: message }).optional();
}

/** A map of fields; one that is absent reads as {}. */
export function fields<T extends z.core.$ZodLooseShape>(shape: T, message = 'must be a map of fields') {
  // prefault, not default: {} is read by the fields, so theirs apply.
  return z.object(shape, { error: message }).prefault({} as never);
}

/**
 * The value with every null field left out and null list items made absent:
 * Kubernetes reads `field: null` (or `field:` in YAML) as not set, and so do
 * the schemas, which then need no effect per field to say so.
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(v => (v === null ? undefined : withoutNulls(v)));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
  return out;
}

/** A non-negative Kubernetes quantity, in milli-units; absent reads as undefined. */
export const quantity = z
  .unknown()
  .transform((value, ctx): number | undefined => (absent(value) ? undefined : readQuantity(value, ctx)));

/** A required non-negative Kubernetes quantity, in milli-units. */
export const requiredQuantity = reading(readQuantity);

function readQuantity(value: unknown, ctx: z.RefinementCtx): number {
  let q: number;
  try {
    q = parseQuantity(value);
  } catch (e) {
    problem(ctx, (e as Error).message, [], true);
    return z.NEVER;
  }
  if (q >= 0) return q;
  problem(ctx, `must not be negative, got ${got(value)}`, [], true);
  return z.NEVER;
}

/** A non-negative number (a string reads as a quantity), or `fallback` when absent. */
export function nonNegative(fallback: number) {
  return reading((value, ctx): number => {
    if (absent(value)) return fallback;
    let n: unknown = value;
    try {
      if (typeof value === 'string') n = parseQuantity(value) / 1000;
    } catch {
      n = NaN;
    }
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) return n;
    problem(ctx, `must be a non-negative number, got ${got(value)}`, [], true);
    return z.NEVER;
  });
}

/** An integer priority; absent reads as undefined unless `required`. */
export function priority(required = false) {
  return reading((value, ctx): number | undefined => {
    if (!required && value === undefined) return undefined;
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    problem(ctx, `must be an integer priority, got ${got(value)}`, [], true);
    return z.NEVER;
  });
}
