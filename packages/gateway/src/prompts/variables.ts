import type { ItemSpec, StoredDefinition, VariableSpec } from './definition.ts';
import { containsDelimiter } from './render.ts';

// Variables are checked against the declaration by hand rather than by building a zod schema per request: the
// caller gets every problem at once, phrased for a person, and nothing about the check depends on the value's size
// beyond one pass.

export interface VariableProblem {
  field: string;
  problem: string;
}

export type VariableValue = string | number | boolean | Array<string | number | boolean>;

const MAX_PROBLEMS = 50;

const compiled = new Map<string, RegExp>();
/** Patterns match the whole value; compiled once per pattern, not per request. */
function anchored(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    if (compiled.size > 1000) compiled.clear();
    re = new RegExp(`^(?:${pattern})$`, 'u');
    compiled.set(pattern, re);
  }
  return re;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function checkScalar(spec: ItemSpec | VariableSpec, value: unknown, trusted: boolean): string | undefined {
  switch (spec.type) {
    case 'string': {
      if (typeof value !== 'string') return `must be a string, got ${describe(value)}`;
      const length = [...value].length;
      if (spec.minLength !== undefined && length < spec.minLength) {
        return `is shorter than ${spec.minLength} characters`;
      }
      if (spec.maxLength !== undefined && length > spec.maxLength) {
        return `is longer than ${spec.maxLength} characters`;
      }
      if (spec.pattern !== undefined && !anchored(spec.pattern).test(value)) {
        return 'does not match the required pattern';
      }
      if (!trusted && containsDelimiter(value)) return 'contains the reserved <user_input> delimiter';
      return undefined;
    }
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        const shown = spec.values.slice(0, 10).join(', ');
        return `must be one of: ${shown}${spec.values.length > 10 ? ', …' : ''}`;
      }
      return undefined;
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number, got ${describe(value)}`;
      if (spec.type === 'integer' && !Number.isSafeInteger(value)) return 'must be an integer';
      if (spec.min !== undefined && value < spec.min) return `must be at least ${spec.min}`;
      if (spec.max !== undefined && value > spec.max) return `must be at most ${spec.max}`;
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, got ${describe(value)}`;
    default:
      return 'has an unsupported type';
  }
}

/**
 * Checks the caller's variables against the definition. Returns the values to render (defaults applied, absent
 * optional variables left out) or every problem found.
 */
export function validateVariables(
  def: StoredDefinition,
  input: Record<string, unknown>,
): { ok: true; values: Record<string, VariableValue> } | { ok: false; problems: VariableProblem[] } {
  const problems: VariableProblem[] = [];
  const values: Record<string, VariableValue> = {};
  const add = (field: string, problem: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ field, problem });
  };
  for (const name of Object.keys(input)) {
    if (!Object.hasOwn(def.variables, name)) add(name.slice(0, 64), 'is not a variable of this prompt');
  }
  for (const [name, spec] of Object.entries(def.variables)) {
    const value = Object.hasOwn(input, name) ? input[name] : undefined;
    if (value === undefined || value === null) {
      if (spec.default !== undefined) values[name] = spec.default;
      else if (spec.required !== false) add(name, 'is required');
      continue;
    }
    const trusted = spec.trusted === true;
    if (spec.type !== 'array') {
      const problem = checkScalar(spec, value, trusted);
      if (problem) add(name, problem);
      else values[name] = value as VariableValue;
      continue;
    }
    if (!Array.isArray(value)) {
      add(name, `must be an array, got ${describe(value)}`);
      continue;
    }
    if (spec.minItems !== undefined && value.length < spec.minItems) add(name, `needs at least ${spec.minItems} items`);
    if (spec.maxItems !== undefined && value.length > spec.maxItems) {
      add(name, `has more than ${spec.maxItems} items`);
      continue;
    }
    let bad = false;
    for (let i = 0; i < value.length && problems.length < MAX_PROBLEMS; i++) {
      const problem = checkScalar(spec.items, value[i], false);
      if (problem) {
        add(`${name}[${i}]`, problem);
        bad = true;
      }
    }
    if (!bad) values[name] = value as VariableValue;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}
