import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import type { z } from 'zod/v4';
import { describe, fleetSchema } from './fleetSchema';
import type { FleetSpec } from './types';

/** One problem of a fleet file: the field's path (`clusters[0].nodePools[1].count`) and what is wrong. */
export interface FleetProblem {
  /** Where in the file, e.g. `clusters[0].nodePools[1].count`; `(top level)`, `(file)` or `(yaml)` otherwise. */
  field: string;
  /** What is wrong, e.g. `must be a number, got nothing`. */
  problem: string;
}

/** A fleet file that cannot be used; the message names the file and, for every problem, the field. */
export class FleetError extends Error {
  /** The field of the first problem. */
  readonly field: string;

  constructor(
    /** The fleet file's path, or what stands for it (`<fleet object>`). */
    readonly file: string,
    /** Every problem found, in the order of the file. */
    readonly problems: FleetProblem[],
  ) {
    super(problems.map(p => `${file}: ${p.field}: ${p.problem}`).join('\n'));
    this.name = 'FleetError';
    this.field = problems[0]?.field ?? '(top level)';
  }
}

/** zod's own issues, worded as a person editing the YAML file reads them. */
const fleetErrorMap: z.core.$ZodErrorMap = issue => {
  const { input } = issue;
  const got = describe(input);
  const nonEmptyString = `must be a non-empty string, got ${got}`;
  switch (issue.code) {
    case 'invalid_type': {
      const expected: Record<string, string> = {
        number: `must be a number, got ${got}`,
        int: `must be a whole number, got ${input}`,
        object: `must be a mapping, got ${got}`,
        record: `must be a mapping, got ${got}`,
        array: `must be a list, got ${got}`,
        boolean: `must be true or false, got ${got}`,
      };
      // Anything else expects a string: a name, a quantity or one of a set of words.
      return expected[issue.expected] ?? nonEmptyString;
    }
    case 'invalid_value':
      return typeof input === 'string' && input
        ? `"${input}" must be one of ${issue.values.join(', ')}`
        : nonEmptyString;
    case 'invalid_union': {
      // A discriminated union whose discriminator matches none of its options.
      const value = (input as Record<string, unknown> | undefined)?.[String(issue.path?.at(-1))];
      const options = (issue.inst as { _zod?: { propValues?: Record<string, Set<unknown>> } })?._zod?.propValues?.[
        String(issue.path?.at(-1))
      ];
      return typeof value === 'string' && value && options
        ? `"${value}" must be one of ${[...options].join(', ')}`
        : `must be a non-empty string, got ${describe(value)}`;
    }
    case 'invalid_key':
      // A record's key that its key schema rejects: that schema's own message.
      return issue.issues[0]?.message;
    case 'too_small':
      if (issue.origin === 'array') return 'must list at least one entry';
      if (issue.origin === 'string') return nonEmptyString;
      return `must be at least ${issue.minimum}, got ${input}`;
    case 'too_big':
      return `must be at most ${issue.maximum}, got ${input}`;
    default:
      return undefined;
  }
};

function fieldPath(path: readonly PropertyKey[]): string {
  const field = path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      return i === 0 ? String(key) : `.${String(key)}`;
    })
    .join('');
  return field || '(top level)';
}

function problemsOf(error: z.ZodError): FleetProblem[] {
  return error.issues.flatMap(issue =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map(key => ({
          field: fieldPath([...issue.path, key]),
          problem: `unknown field "${key}" (${issue.message})`,
        }))
      : [{ field: fieldPath(issue.path), problem: issue.message }],
  );
}

/** Checks an already parsed fleet document; `file` names it in errors. */
export function validateFleet(document: unknown, file = '<fleet>'): FleetSpec {
  const result = fleetSchema.safeParse(document, { error: fleetErrorMap });
  if (!result.success) throw new FleetError(file, problemsOf(result.error));
  return result.data;
}

/** Reads and validates a fleet YAML file. */
export function loadFleetFile(path: string): FleetSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FleetError(path, [{ field: '(file)', problem: `cannot be read: ${(e as Error).message}` }]);
  }
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) {
    throw new FleetError(
      path,
      doc.errors.map(e => ({ field: '(yaml)', problem: e.message })),
    );
  }
  return validateFleet(doc.toJS(), path);
}
