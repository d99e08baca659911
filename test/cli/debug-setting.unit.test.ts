import { describe, expect, it } from 'vitest';
import { debugging } from '../../src/cli/debug-setting.ts';

describe('LEDGER_DEBUG', () => {
  it('shows stack traces for 1, true or yes, in any case, and for nothing else', () => {
    for (const on of ['1', 'true', 'TRUE', 'yes', ' Yes ']) expect(debugging(on), on).toBe(true);
    for (const off of [undefined, '', '0', 'false', 'no', 'off', ' ']) expect(debugging(off), String(off)).toBe(false);
  });
});
