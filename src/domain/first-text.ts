/**
 * The first text in a JSON value, a value or a field name, that `bad` holds for, and where:
 * `root.field.0` (or `field.0` with no root); for a field name, the path of the object holding it
 * (the name itself may not be fit to print). Walked with an explicit stack, not recursion: a value
 * nested thousands deep must get its refusal from whoever reads it, not a stack overflow here.
 */
export const firstTextWhere = (
  value: unknown,
  bad: (text: string) => boolean,
  root = '',
): { path: string; text: string; isKey: boolean } | undefined => {
  const join = (path: string, key: string | number) => (path === '' ? String(key) : `${path}.${key}`);
  const pending: Array<[unknown, string]> = [[value, root]];
  while (pending.length > 0) {
    const [inner, path] = pending.pop()!;
    if (typeof inner === 'string') {
      if (bad(inner)) return { path, text: inner, isKey: false };
    } else if (Array.isArray(inner)) {
      for (let i = inner.length - 1; i >= 0; i--) pending.push([inner[i], join(path, i)]);
    } else if (inner !== null && typeof inner === 'object') {
      const entries = Object.entries(inner);
      for (const [key] of entries) if (bad(key)) return { path, text: key, isKey: true };
      for (let i = entries.length - 1; i >= 0; i--) pending.push([entries[i]![1], join(path, entries[i]![0])]);
    }
  }
  return undefined;
};
