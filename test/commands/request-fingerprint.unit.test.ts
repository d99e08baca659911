import { describe, expect, it } from 'vitest';
import type { PlanCommand } from '../../src/domain/plan/commands.ts';
import { requestFingerprint } from '../../src/commands/request-fingerprint.ts';
import { canonicalJson } from '../../src/integrity/canonical-json.ts';
import { sha256Hex } from '../../src/integrity/event-hash.ts';

describe('request fingerprint (what an Idempotency-Key is bound to)', () => {
  const command = { type: 'RecordProgressUpdate', ref: '1.3', narrative: 'AUG 2017 The website is now active' } as unknown as PlanCommand;
  const single = (actorId: string, planId: string, c: PlanCommand, effectiveOn: string | undefined) =>
    requestFingerprint({ kind: 'command', actorId, planId, command: c, effectiveOn });
  const base = single('api-key:aaaa', 'dorset', command, '2017-08');

  it('is the same for the same request, whatever the order of its fields', () => {
    const reordered = {
      narrative: 'AUG 2017 The website is now active',
      ref: '1.3',
      type: 'RecordProgressUpdate',
    } as unknown as PlanCommand;
    expect(single('api-key:aaaa', 'dorset', reordered, '2017-08')).toBe(base);
  });

  it('differs when the caller, the plan, the command or its business date differs', () => {
    const others = [
      single('api-key:bbbb', 'dorset', command, '2017-08'),
      single('api-key:aaaa', 'devon', command, '2017-08'),
      single('api-key:aaaa', 'dorset', { ...command, narrative: 'SEP 2017' } as unknown as PlanCommand, '2017-08'),
      single('api-key:aaaa', 'dorset', command, '2017-09'),
      single('api-key:aaaa', 'dorset', command, undefined),
    ];
    for (const other of others) expect(other).not.toBe(base);
    expect(new Set(others).size).toBe(others.length);
  });

  it('keeps the digests ledgers already hold: a command binds caller, plan, command and date; a batch binds its stream and items', () => {
    expect(base).toBe(sha256Hex(canonicalJson({ actor: 'api-key:aaaa', planId: 'dorset', command, effectiveOn: '2017-08' })));
    expect(single('api-key:aaaa', 'dorset', command, undefined)).toBe(
      sha256Hex(canonicalJson({ actor: 'api-key:aaaa', planId: 'dorset', command, effectiveOn: null })),
    );
    const items = [{ command, effectiveOn: '2017-08', provenance: { source: 'cli' as const } }];
    expect(requestFingerprint({ kind: 'batch', stream: 'plan-dorset', items })).toBe(
      sha256Hex(canonicalJson({ batch: 'plan-dorset', items })),
    );
  });

  it('binds a batch to what it asks of which plan, not to who asks', () => {
    const items = [{ command, provenance: { source: 'cli' as const } }];
    const batch = requestFingerprint({ kind: 'batch', stream: 'plan-dorset', items });
    expect(requestFingerprint({ kind: 'batch', stream: 'plan-devon', items })).not.toBe(batch);
    expect(requestFingerprint({ kind: 'batch', stream: 'plan-dorset', items: [...items, ...items] })).not.toBe(batch);
  });
});
