import { quotedForTerminal } from './terminal-text.ts';

/**
 * Where two JSON values first differ, as a path a reader can follow (`$.actions[0].outcome`),
 * with what each holds there; undefined when they are the same JSON. Members are compared in
 * sorted order, as canonical JSON orders them, so the first difference is the same whichever
 * order either side wrote its members in.
 */
export interface JsonDifference {
  path: string;
  /** The value on each side, as JSON; undefined where that side has no such member or item. */
  left: unknown;
  right: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const member = (path: string, key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${quotedForTerminal(key)}]`);

export const firstDifference = (left: unknown, right: unknown, path = '$'): JsonDifference | undefined => {
  if (Array.isArray(left) && Array.isArray(right)) {
    for (let i = 0; i < Math.max(left.length, right.length); i++) {
      if (i >= left.length || i >= right.length) return { path: `${path}[${i}]`, left: left[i], right: right[i] };
      const found = firstDifference(left[i], right[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (isRecord(left) && isRecord(right)) {
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    for (const key of keys) {
      if (!Object.hasOwn(left, key) || !Object.hasOwn(right, key))
        return { path: member(path, key), left: Object.hasOwn(left, key) ? left[key] : undefined, right: right[key] };
      const found = firstDifference(left[key], right[key], member(path, key));
      if (found) return found;
    }
    return undefined;
  }
  return Object.is(left, right) || JSON.stringify(left) === JSON.stringify(right) ? undefined : { path, left, right };
};
