import { describe, expect, it } from 'vitest';
import type { PlanCommand } from '../../src/domain/plan/commands.ts';
import { requestFingerprint } from '../../src/commands/request-fingerprint.ts';

describe('request fingerprint (what an Idempotency-Key is bound to)', () => {
  const command = { type: 'RecordProgressUpdate', ref: '1.3', narrative: 'AUG 2017 The website is now active' } as unknown as PlanCommand;
  const base = requestFingerprint('api-key:aaaa', 'dorset', command, '2017-08');

  it('is the same for the same request, whatever the order of its fields', () => {
    const reordered = {
      narrative: 'AUG 2017 The website is now active',
      ref: '1.3',
      type: 'RecordProgressUpdate',
    } as unknown as PlanCommand;
    expect(requestFingerprint('api-key:aaaa', 'dorset', reordered, '2017-08')).toBe(base);
  });

  it('differs when the caller, the plan, the command or its business date differs', () => {
    const others = [
      requestFingerprint('api-key:bbbb', 'dorset', command, '2017-08'),
      requestFingerprint('api-key:aaaa', 'devon', command, '2017-08'),
      requestFingerprint('api-key:aaaa', 'dorset', { ...command, narrative: 'SEP 2017' } as unknown as PlanCommand, '2017-08'),
      requestFingerprint('api-key:aaaa', 'dorset', command, '2017-09'),
      requestFingerprint('api-key:aaaa', 'dorset', command, undefined),
    ];
    for (const other of others) expect(other).not.toBe(base);
    expect(new Set(others).size).toBe(others.length);
  });
});
