import { describe, expect, it } from 'vitest';
import { openAsAttacker, rewriteStreamWithFreshHashes, rowAt, seedPlans, useLedger } from './ledger-fixture.ts';

/**
 * Each attack on the SQLite file is caught by verify and named: the kind of failure and the
 * stream, revision and position where it shows. 36 events in three plans; checkpoints at 18 and 36.
 */
// workers: 2 splits the chains at position 18, so a stream's chain crosses from one thread's slice to the other's.
describe.each([1, 2])('verify catches tampering with the ledger file (%i thread(s) checking chains)', (workers) => {
  const ctx = useLedger();
  const verify = () => ctx.ledger.verify(undefined, { workers });

  const seedAndSign = async () => {
    await seedPlans(ctx.store, 6, 'first');
    expect((await ctx.ledger.checkpointNow()).created).toBe(true);
    await seedPlans(ctx.store, 6, 'second');
    expect((await ctx.ledger.checkpointNow()).checkpoint?.treeSize).toBe(36);
  };

  it('passes an untouched ledger: every event, stream and checkpoint checked', async () => {
    await seedAndSign();
    const report = await verify();
    expect(report).toMatchObject({ ok: true, eventsChecked: 36, streamsChecked: 3, checkpointsChecked: 2, treeSize: 36 });
    expect(report.rootHash).toBe((await ctx.ledger.checkpoints.latest())!.rootHash);
  });

  it('names one changed byte of an event’s data', async () => {
    await seedAndSign();
    const db = openAsAttacker(ctx.file);
    const { body, stream, revision } = rowAt(db, 7);
    const at = body.indexOf('"title":"') + '"title":"'.length;
    db.prepare('UPDATE events SET body = ? WHERE position = 7').run(`${body.slice(0, at)}X${body.slice(at + 1)}`);
    db.close();
    const report = await verify();
    expect(report).toMatchObject({
      ok: false,
      eventsChecked: 7,
      failure: { kind: 'event-hash-mismatch', stream, revision: String(revision), position: '7' },
    });
  });

  it('names an edit in the second half of the ledger, past where the threads split', async () => {
    await seedAndSign();
    const db = openAsAttacker(ctx.file);
    db.exec("UPDATE events SET body = replace(body, 'Section', 'Sectiom') WHERE position = 30");
    db.close();
    const report = await verify();
    expect(report).toMatchObject({
      eventsChecked: 30,
      checkpointsChecked: 1,
      failure: { kind: 'event-hash-mismatch', position: '30', stream: 'plan-dorset' },
    });
  });

  it('names a deleted row', async () => {
    await seedAndSign();
    const db = openAsAttacker(ctx.file);
    db.exec('DELETE FROM events WHERE position = 20');
    db.close();
    const report = await verify();
    expect(report.failure).toMatchObject({ kind: 'position-gap', position: '21', expected: '20', found: '21' });
  });

  it('names two events of one plan swapped in the global order', async () => {
    await seedAndSign();
    const db = openAsAttacker(ctx.file);
    const [a, b] = [rowAt(db, 0), rowAt(db, 7)];
    expect(a.stream).toBe(b.stream);
    db.exec(
      'UPDATE events SET position = 1000 WHERE position = 0; UPDATE events SET position = 0 WHERE position = 7; UPDATE events SET position = 7 WHERE position = 1000',
    );
    db.close();
    const report = await verify();
    expect(report.failure).toMatchObject({
      kind: 'revision-gap',
      stream: a.stream,
      position: '0',
      expected: '0',
      found: String(b.revision),
    });
  });

  it('names two events of different plans swapped: each chain still holds, the signed root does not', async () => {
    await seedAndSign();
    const db = openAsAttacker(ctx.file);
    // Dorset's revision 1 and Devon's revision 0, neighbours: after the swap each plan still reads 0, 1, 2 …
    expect(rowAt(db, 2).stream).not.toBe(rowAt(db, 1).stream);
    db.exec(
      'UPDATE events SET position = 1000 WHERE position = 1; UPDATE events SET position = 1 WHERE position = 2; UPDATE events SET position = 2 WHERE position = 1000',
    );
    db.close();
    const report = await verify();
    expect(report.failure).toMatchObject({ kind: 'checkpoint-root-mismatch', checkpointTreeSize: 18 });
  });

  it('names a changed recordedAt, in the stored event and in the query column alone', async () => {
    await seedAndSign();
    const db = openAsAttacker(ctx.file);
    const { body } = rowAt(db, 3);
    const event = JSON.parse(body) as { recordedAt: string };
    db.prepare('UPDATE events SET body = ? WHERE position = 3').run(body.replace(event.recordedAt, '2015-10-01T09:00:00.000Z'));
    db.close();
    expect((await verify()).failure).toMatchObject({ kind: 'event-hash-mismatch', position: '3' });

    const again = openAsAttacker(ctx.file);
    again.prepare('UPDATE events SET body = ? WHERE position = 3').run(body);
    again.prepare("UPDATE events SET recorded_at = '2015-10-01T09:00:00.000Z' WHERE position = 5").run();
    again.close();
    expect((await verify()).failure).toMatchObject({ kind: 'column-mismatch', position: '5', found: '2015-10-01T09:00:00.000Z' });
  });

  it('names a whole plan rewritten with freshly computed hashes: the chains hold, the signed checkpoint does not', async () => {
    await seedAndSign();
    const db = openAsAttacker(ctx.file);
    rewriteStreamWithFreshHashes(db, 'plan-devon', 1, 'Rewritten after the fact');
    db.close();
    const report = await verify();
    expect(report.failure).toMatchObject({ kind: 'checkpoint-root-mismatch', checkpointTreeSize: 18 });
    expect(report.eventsChecked).toBe(18);
  });

  it('names the end of the ledger cut off after a checkpoint', async () => {
    await seedAndSign();
    const db = openAsAttacker(ctx.file);
    db.exec('DELETE FROM events WHERE position >= 33');
    db.close();
    const report = await verify();
    expect(report).toMatchObject({
      ok: false,
      eventsChecked: 33,
      failure: { kind: 'checkpoint-beyond-ledger', checkpointTreeSize: 36, expected: '36', found: '33' },
    });
  });

  it('names a checkpoint whose signed root was replaced', async () => {
    await seedAndSign();
    const db = openAsAttacker(ctx.file);
    db.prepare('UPDATE checkpoints SET root_hash = ? WHERE tree_size = 18').run('ab'.repeat(32));
    db.close();
    expect((await verify()).failure).toMatchObject({ kind: 'checkpoint-signature-invalid', checkpointTreeSize: 18 });
  });
});
