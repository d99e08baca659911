import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyLedger, type CopyOptions } from '../../src/copy/copy-ledger.ts';
import { learnedAliasesPart } from '../../src/copy/copy-part.ts';
import { CopyRefused } from '../../src/copy/copy-refused.ts';
import { KEPT_CHECKPOINT_FILE } from '../../src/integrity/kept-checkpoint.ts';
import { createLedgerIntegrity } from '../../src/integrity/ledger-integrity.ts';
import { openAsAttacker, rewriteStreamWithFreshHashes, rowAt } from '../integrity/ledger-fixture.ts';
import { collect } from '../support/collect.ts';
import { makeEvents } from '../support/events.ts';
import { seedCommands, signCheckpoint, snapshot, useSourceAndTarget } from './copy-fixture.ts';

/** The refusal a copy ends with; fails the test if it completes. */
const refusal = async (copy: Promise<unknown>): Promise<CopyRefused> => {
  try {
    await copy;
  } catch (error) {
    if (error instanceof CopyRefused) return error;
    throw error;
  }
  throw new Error('the copy completed, but it should have been refused');
};

describe('ledger copy between two SQLite ledgers', () => {
  const ctx = useSourceAndTarget();
  const copy = async (options: Partial<CopyOptions> = {}) =>
    copyLedger({ source: ctx.source, target: await ctx.target(), publicKey: ctx.key.publicKey, ...options });

  it('carries every event, command result and signed checkpoint over unchanged, and verifies the target against the source', async () => {
    const source = await snapshot(ctx.source);
    const report = await copy();

    expect(report).toMatchObject({ size: source.events.length, resumedAt: 0, copiedEvents: source.events.length, checkpointsCarried: 2 });
    expect(report.copiedCommands).toBe(source.commands.length);
    expect(report.verification).toMatchObject({
      events: source.events.length,
      streams: 3,
      commands: source.commands.length,
      checkpoints: 2,
      keyIds: [ctx.key.keyId],
    });
    const target = ctx.open.at(-1)!;
    // Ids, recordedAt, revisions, positions, hashes; results with their fingerprints; heads; checkpoints as signed.
    expect(await snapshot(target)).toEqual(source);
    expect(source.commands.every((c) => c?.requestFingerprint?.startsWith('fingerprint-'))).toBe(true);
    // The target verifies on its own, as `ledger verify` does on it.
    const ledger = createLedgerIntegrity({
      integrity: target.integrity,
      events: target.events,
      key: ctx.key,
      keptCheckpointFile: path.join(ctx.targetDir, KEPT_CHECKPOINT_FILE),
    });
    expect(await ledger.verify()).toMatchObject({ ok: true, eventsChecked: source.events.length, checkpointsChecked: 2 });
    await ledger.close();
  });

  it('carries the organisations and aliases the source learned, and verifies them', async () => {
    const learned = [
      { name: 'South Western Ambulance Service NHS Foundation Trust', aliases: ['SWASFT', 'SWAST'] },
      { name: 'Poole Hospital', aliases: [] },
    ];
    await ctx.source.learnedAliases.learn(learned);
    const target = await ctx.target();
    const report = await copyLedger({
      source: ctx.source,
      target,
      publicKey: ctx.key.publicKey,
      parts: [learnedAliasesPart(ctx.source.learnedAliases, target.learnedAliases)],
    });
    expect(report.parts).toEqual([
      { name: 'learned organisation aliases', copied: '2 organisations', verified: 'each with every alias, in both' },
    ]);
    expect(target.learnedAliases.current().organisations).toEqual(learned);
  });

  it('stopped part-way, resumes at the target count and ends with the same verified ledger', async () => {
    const stop = new AbortController();
    const target = await ctx.target();
    let appends = 0;
    const interrupted = await copyLedger({
      source: ctx.source,
      // The real target, told to stop after its fifth append, as Ctrl-C between two commands does.
      target: {
        integrity: target.integrity,
        events: Object.assign(Object.create(target.events) as typeof target.events, {
          append: async (request: Parameters<typeof target.events.append>[0]) => {
            const result = await target.events.append(request);
            if (++appends === 5) stop.abort();
            return result;
          },
        }),
      },
      publicKey: ctx.key.publicKey,
      signal: stop.signal,
    });
    expect(interrupted.stoppedAt).toBeGreaterThan(0);
    expect(interrupted.verification).toBeUndefined();
    expect(await target.events.count()).toBe(interrupted.stoppedAt);
    await target.close();

    const resumed = await copy();
    expect(resumed.resumedAt).toBe(interrupted.stoppedAt);
    expect(resumed.copiedEvents).toBe(resumed.size - interrupted.stoppedAt!);
    expect(resumed.verification?.events).toBe(resumed.size);
    expect(await snapshot(ctx.open.at(-1)!)).toEqual(await snapshot(ctx.source));
  });

  it('answers a command the target had written but not yet counted from its command id, and writes it once', async () => {
    const stop = new AbortController();
    let appends = 0;
    const first = await ctx.target();
    const stopped = await copyLedger({
      source: ctx.source,
      target: {
        integrity: first.integrity,
        events: Object.assign(Object.create(first.events) as typeof first.events, {
          append: async (request: Parameters<typeof first.events.append>[0]) => {
            const result = await first.events.append(request);
            if (++appends === 6) stop.abort();
            return result;
          },
        }),
      },
      publicKey: ctx.key.publicKey,
      signal: stop.signal,
    });
    const inFlight = (await first.events.findCommand((await collect(first.events.readAll())).at(-1)!.commandId))!;
    await first.close();

    // A target whose count has not caught up with its last command, as an index behind its engine can be.
    const target = await ctx.target();
    const behind = Number(inFlight.firstPosition);
    const resumed = await copyLedger({
      source: ctx.source,
      target: {
        integrity: target.integrity,
        events: Object.assign(Object.create(target.events) as typeof target.events, {
          count: async () => ((await target.events.count()) === stopped.stoppedAt ? behind : target.events.count()),
        }),
      },
      publicKey: ctx.key.publicKey,
    });
    expect(resumed.resumedAt).toBe(behind);
    expect(resumed.verification?.events).toBe(resumed.size);
    expect(await snapshot(target)).toEqual(await snapshot(ctx.source));
  });

  it('run again on a finished copy, copies nothing and verifies it again', async () => {
    await copy();
    await ctx.open.at(-1)!.close();
    const again = await copy();
    expect(again).toMatchObject({ resumedAt: again.size, copiedEvents: 0, checkpointsCarried: 0 });
    expect(again.verification?.checkpoints).toBe(2);
  });

  it('refuses a source with an event altered after it was recorded, and copies none of it', async () => {
    const db = openAsAttacker(path.join(ctx.sourceDir, 'ledger.db'));
    db.exec("UPDATE events SET body = replace(body, 'Section', 'Sectiom') WHERE position = 20");
    db.close();
    const refused = await refusal(copy());
    expect(refused.kind).toBe('source-fails-verification');
    expect(refused.position).toBe(20n);
    expect(refused.message).toMatch(/none of it is copied/);
    expect(await ctx.open.at(-1)!.events.count()).toBe(0);
  });

  it('refuses a source whose stream was rewritten with fresh hashes: its signed root no longer holds', async () => {
    const db = openAsAttacker(path.join(ctx.sourceDir, 'ledger.db'));
    rewriteStreamWithFreshHashes(db, 'plan-devon', 1, 'A rewritten title');
    db.close();
    const refused = await refusal(copy());
    expect(refused.kind).toBe('source-fails-verification');
    expect(refused.message).toMatch(/signed root/);
    expect(await ctx.open.at(-1)!.events.count()).toBe(0);
  });

  it('checks each source event again just before it is appended: one altered after the source was verified stops the copy there', async () => {
    const attack = () => {
      const db = openAsAttacker(path.join(ctx.sourceDir, 'ledger.db'));
      const { body } = rowAt(db, 30);
      db.prepare('UPDATE events SET body = ? WHERE position = 30').run(body.replace('Section', 'Sectiom'));
      db.close();
    };
    const refused = await refusal(copy({ onProgress: (p) => p.phase === 'copying' && p.done === 0 && attack() }));
    expect(refused.kind).toBe('source-event-altered');
    expect(refused.position).toBe(30n);
    expect(refused.message).toMatch(/does not match its chain hash/);
    const target = ctx.open.at(-1)!;
    // Everything before the altered event, and nothing from it on.
    expect(await target.events.count()).toBeLessThanOrEqual(30);
    expect((await target.integrity.leafHashes(0n, 100)).every((leaf) => leaf.position < 30n)).toBe(true);
  });

  it('carries no checkpoint whose root the events copied no longer reproduce (a rewrite after the source was verified)', async () => {
    const attack = () => {
      const db = openAsAttacker(path.join(ctx.sourceDir, 'ledger.db'));
      rewriteStreamWithFreshHashes(db, 'plan-kent', 0, 'A rewritten title');
      db.close();
    };
    const [first] = await ctx.source.integrity.checkpoints.all();
    const refused = await refusal(copy({ onProgress: (p) => p.phase === 'copying' && p.done === 0 && attack() }));
    expect(refused.kind).toBe('source-checkpoint-mismatch');
    expect(refused.message).toMatch(new RegExp(`first ${first!.treeSize} events hash to root`));
    expect(await ctx.open.at(-1)!.integrity.checkpoints.all()).toEqual([]);
  });

  it('refuses a target that holds another ledger, and writes nothing to it', async () => {
    const target = await ctx.target();
    await seedCommands(target, ['plan-elsewhere'], 2);
    const before = await snapshot(target);
    const refused = await refusal(copyLedger({ source: ctx.source, target, publicKey: ctx.key.publicKey }));
    expect(refused.kind).toBe('target-not-a-copy');
    expect(refused.message).toMatch(/position 0 is not the source's: it is another ledger/);
    expect(await snapshot(target)).toEqual(before);
  });

  it('refuses a target that holds more events than the source, and writes nothing to it', async () => {
    await copy();
    const target = ctx.open.at(-1)!;
    await target.events.append({ stream: 'plan-extra', events: makeEvents(1), expectedRevision: 'noStream', commandId: 'one-more' });
    await target.close();
    const reopened = await ctx.target();
    const before = await snapshot(reopened);
    const refused = await refusal(copyLedger({ source: ctx.source, target: reopened, publicKey: ctx.key.publicKey }));
    expect(refused.kind).toBe('target-not-a-copy');
    expect(refused.message).toMatch(/more than the source's/);
    expect(await snapshot(reopened)).toEqual(before);
  });

  it("refuses a source whose checkpoints are not signed by the ledger's key", async () => {
    const otherKey = generateKeyPairSync('ed25519').publicKey;
    const refused = await refusal(copy({ publicKey: otherKey }));
    expect(refused.kind).toBe('source-fails-verification');
    expect(refused.message).toMatch(/checkpoint \d+ is signed by key \w+, but the ledger's key at that size is/);
    expect(await ctx.open.at(-1)!.events.count()).toBe(0);
  });

  it('does not pass a copy of a source that took writes meanwhile; run again, it carries the rest', async () => {
    let wrote = false;
    const writeToSource = async () => {
      wrote = true;
      await seedCommands(ctx.source, ['plan-dorset'], 1);
    };
    const pending: Promise<void>[] = [];
    const refused = await refusal(
      copy({ onProgress: (p) => p.phase === 'copying' && p.done === 0 && !wrote && void pending.push(writeToSource()) }),
    );
    await Promise.all(pending);
    expect(refused.kind).toBe('verification-failed');
    expect(refused.message).toMatch(/the source took writes while it was copied/);
    await ctx.open.at(-1)!.close();

    await signCheckpoint(ctx.source, ctx.sourceDir, ctx.key);
    const rest = await copy();
    expect(rest.copiedEvents).toBeGreaterThan(0);
    expect(rest.verification?.checkpoints).toBe(3);
    expect(await snapshot(ctx.open.at(-1)!)).toEqual(await snapshot(ctx.source));
  });

  it('carries a checkpoint the source signed while it was being copied', async () => {
    const target = await ctx.target();
    let signing: Promise<unknown> | undefined;
    const report = await copyLedger({
      source: ctx.source,
      // The real target; on its first append the source's service signs the ledger as it stands.
      target: {
        integrity: target.integrity,
        events: Object.assign(Object.create(target.events) as typeof target.events, {
          append: async (request: Parameters<typeof target.events.append>[0]) => {
            await (signing ??= signCheckpoint(ctx.source, ctx.sourceDir, ctx.key));
            return target.events.append(request);
          },
        }),
      },
      publicKey: ctx.key.publicKey,
    });
    expect(report.checkpointsCarried).toBe(3);
    expect(report.verification?.checkpoints).toBe(3);
    expect(await target.integrity.checkpoints.all()).toEqual(await ctx.source.integrity.checkpoints.all());
  });

  it('stops when something else writes to the target while it is copied', async () => {
    const target = await ctx.target();
    let wrote = false;
    const refused = await refusal(
      copyLedger({
        source: ctx.source,
        target,
        publicKey: ctx.key.publicKey,
        onProgress: (p) => {
          if (p.phase !== 'copying' || wrote) return;
          wrote = true;
          void target.events.append({
            stream: 'plan-intruder',
            events: makeEvents(1),
            expectedRevision: 'noStream',
            commandId: 'intruder',
          });
        },
      }),
    );
    expect(refused.kind).toBe('target-diverged');
    expect(refused.message).toMatch(/something other than this copy writes to it/);
  });
});
