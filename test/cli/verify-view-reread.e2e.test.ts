import Database from 'better-sqlite3';
import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signCheckpoint } from '../../src/integrity/checkpoint.ts';
import { signText } from '../../src/integrity/signed-text.ts';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { signView, type SignedView } from '../../src/integrity/view-signature.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { agreeAnotherAction, readJson, signedLedger } from './signed-ledger.ts';
import { ledger } from './view-support.ts';

describe('ledger verify-view -d, which reads a signed view again from the ledger (real SQLite data dirs, real processes)', () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('with -d reads the view again: the same answer after later events (its asOf pins it), and where a view re-signed with another key differs', async () => {
    const dir = await signedLedger(dirs);
    const asOf = new Date().toISOString();
    const args = ['view', 'deadlines', '--from', '2015-10', '--to', '2018-03', '--as-of', asOf, '--signed', '-d', dir.path];
    expect((await ledger([...args, '-o', dir.file('deadlines.json')])).code).toBe(0);
    const changes = ['view', 'changes', 'dorset', '--from', '2015-01-01', '--to', '2999-01-01', '--signed', '-d', dir.path];
    const changed = await ledger([...changes, '-o', dir.file('changes.json')]);
    expect(changed.code, changed.stderr).toBe(0);
    await agreeAnotherAction(dir.file('ledger.db'));

    for (const file of ['deadlines.json', 'changes.json']) {
      const again = await ledger(['verify-view', dir.file(file), '--public-key', dir.file('public.pem'), '-d', dir.path]);
      expect(again.code, `${file}: ${again.stdout}${again.stderr}`).toBe(0);
      expect(again.stdout).toMatch(
        /read again: .*the ledger still holds the checkpoint's tree, and gives the same answer at the same position/,
      );
    }
    // A view of the past stands on the latest checkpoint, which holds its position; one of now needs a new one.
    const checkpointOf = (file: string) => readJson<SignedView>(dir.file(file)).checkpoint;
    expect(checkpointOf('changes.json')).toEqual(checkpointOf('deadlines.json'));
    expect((await ledger([...args, '-o', dir.file('past.json')])).code).toBe(0);
    expect(checkpointOf('past.json')).toEqual(checkpointOf('deadlines.json'));
    expect((await ledger(['view', 'plan', 'dorset', '--signed', '-o', dir.file('now.json'), '-d', dir.path])).code).toBe(0);
    expect(checkpointOf('now.json')).toMatchObject({ treeSize: 4, previous: { treeSize: 3 } });
    // The window's end still to come was read as the moment it ran, and the file names that instant.
    expect(readJson<SignedView>(dir.file('changes.json')).query.to).not.toBe('2999-01-01');

    // Someone changes the answer and signs the file again, checkpoint and all, with a key of their own over the same tree.
    const forger = loadSigningKey({ dataDir: dir.file('forger') }).key;
    const { signature: _signature, ...original } = readJson<SignedView & { answer: { actions: { outcome: string }[] } }>(
      dir.file('deadlines.json'),
    );
    expect(original.answer.actions[0]!.outcome).toBe('met');
    original.answer.actions[0]!.outcome = 'missed';
    const { treeSize, rootHash, issuedAt } = original.checkpoint;
    const forged = signView(
      {
        ...original,
        checkpoint: signCheckpoint(forger, { treeSize, rootHash, issuedAt }, undefined),
        publicKey: { keyId: forger.keyId, pem: forger.publicKeyPem },
      },
      (text) => ({ keyId: forger.keyId, signature: signText(forger, text) }),
    );
    fs.writeFileSync(dir.file('forged.json'), JSON.stringify(forged, null, 2));
    expect((await ledger(['verify-view', dir.file('forged.json')])).code).toBe(3); // consistent with its own key alone

    const reread = await ledger(['verify-view', dir.file('forged.json'), '-d', dir.path]);
    expect(reread.code, reread.stdout + reread.stderr).toBe(1);
    expect(reread.stdout).toMatch(
      /FAILED \(untrusted-key\): the ledger's own checkpoint of 3 events \(key [0-9a-f]{16}, .*\) is not the view's/,
    );
    expect(reread.stdout).toMatch(
      /FAILED \(view-differs\): the ledger, read again at the file's clocks and options, answers otherwise, first at \$\.actions\[0\]\.outcome\n/,
    );
    expect(reread.stdout).toMatch(/the file\s+"missed"\n\s+the ledger\s+"met"\n/);
    expect(reread.stdout).toMatch(
      /why the ledger may answer otherwise:\n(\s+- .*\n)*\s+- the file's answer was changed and the file signed again/,
    );
    const pinned = await ledger(['verify-view', dir.file('forged.json'), '--public-key', dir.file('public.pem')]);
    expect(pinned.code).toBe(1);
    expect(pinned.stdout).toMatch(/FAILED \(untrusted-key\)/);
  }, 300_000);

  it('with -d never puts a difference down to another key when the key you pinned verified the file, and says a read it could not record is no difference of the ledger', async () => {
    const dir = await signedLedger(dirs);
    const made = await ledger(['view', 'plan', 'dorset', '--signed', '-o', dir.file('plan.json'), '-d', dir.path]);
    expect(made.code, made.stderr).toBe(0);
    // An answer the ledger never gave, signed with the ledger's own key: the pinned key vouches for it.
    const { signature: _signature, ...fields } = readJson<SignedView & { answer: { title: string } }>(dir.file('plan.json'));
    const key = loadSigningKey({ dataDir: dir.path }).key;
    const signed = signView({ ...fields, answer: { ...fields.answer, title: 'Another plan' } }, (text) => ({
      keyId: key.keyId,
      signature: signText(key, text),
    }));
    fs.writeFileSync(dir.file('signed-by-holder.json'), JSON.stringify(signed, null, 2));
    const again = await ledger(['verify-view', dir.file('signed-by-holder.json'), '--public-key', dir.file('public.pem'), '-d', dir.path]);
    expect(again.code, again.stdout).toBe(1);
    expect(again.stdout).toMatch(/^OK: the view and its checkpoint are signed by the key you pinned/m);
    expect(again.stdout).toMatch(/FAILED \(view-differs\): .*first at \$\.title\n/);
    expect(again.stdout).not.toContain('signed again with another key');
    expect(again.stdout).toContain(
      '- the file was signed, by someone holding the key you pinned, over an answer this ledger did not give at these clocks',
    );

    // Where its read cannot be recorded in the access log, a plan's detail is not read again: said as such, not as an
    // answer of the ledger's that differs.
    fs.rmSync(dir.file('access-log.db'), { force: true });
    fs.mkdirSync(dir.file('access-log.db'));
    const unrecorded = await ledger(['verify-view', dir.file('plan.json'), '--public-key', dir.file('public.pem'), '-d', dir.path]);
    expect(unrecorded.code, unrecorded.stdout).toBe(1);
    expect(unrecorded.stdout).toMatch(/FAILED \(view-not-read-again\): the view was not read again: the read could not be recorded/);
    expect(unrecorded.stdout).not.toMatch(/view-differs|why the ledger may answer otherwise/);
  }, 120_000);

  it("with -d, where the ledger's events were changed under their hashes, names the command that finds the event, and a file changed after signing as such", async () => {
    const dir = await signedLedger(dirs);
    const made = await ledger(['view', 'plan', 'dorset', '--signed', '-o', dir.file('plan.json'), '-d', dir.path]);
    expect(made.code, made.stderr).toBe(0);
    const { answer } = readJson<SignedView & { answer: { actions: { text: string }[] } }>(dir.file('plan.json'));
    const text = answer.actions[0]!.text;
    // An action's words changed in the ledger file itself, past its guard, its stored hash left as it was.
    const file = new Database(dir.file('ledger.db'));
    file.exec('DROP TRIGGER events_append_only_update');
    file.prepare("UPDATE events SET body = replace(body, ?, ?) WHERE type = 'ActionAgreed'").run(text, `${text} (amended)`);
    file.close();
    const again = await ledger(['verify-view', dir.file('plan.json'), '--public-key', dir.file('public.pem'), '-d', dir.path]);
    expect(again.code, again.stdout).toBe(1);
    expect(again.stdout).toMatch(/FAILED \(view-differs\): .*first at \$\.actions\[0\]\.text\n/);
    const recheck = `ledger verify -d ${dir.path} --checkpoint ${dir.file('plan.json')}`;
    expect(again.stdout).toContain(
      `- the ledger's events were changed after the file was read, their stored hashes left as they were: \`${recheck}\``,
    );
    const verified = await ledger([
      'verify',
      '-d',
      dir.path,
      '--checkpoint',
      dir.file('plan.json'),
      '--public-key',
      dir.file('public.pem'),
    ]);
    expect(verified.code, verified.stdout).toBe(1);
    expect(verified.stdout).toMatch(/event-hash-mismatch/);

    // A file changed after it was signed, its key pinned: the reason is that, not a key to pin.
    const edited = readJson<SignedView & { answer: { title: string } }>(dir.file('plan.json'));
    fs.writeFileSync(dir.file('edited.json'), JSON.stringify({ ...edited, answer: { ...edited.answer, title: 'Another plan' } }));
    const changed = await ledger(['verify-view', dir.file('edited.json'), '--public-key', dir.file('public.pem'), '-d', dir.path]);
    expect(changed.code, changed.stdout).toBe(1);
    expect(changed.stdout).toContain('- the file was changed after it was signed: its own checks failed (above)');
    expect(changed.stdout).not.toContain('pin the ledger');
  }, 120_000);

  it('with -d names the point a position is read at: for changes on the ledger clock, its to, not the moment it ran', async () => {
    const dir = await signedLedger(dirs);
    const to = new Date().toISOString();
    const changes = ['view', 'changes', 'dorset', '--from', '2015-01-01', '--to', to, '--signed', '-d', dir.path];
    const made = await ledger([...changes, '-o', dir.file('changes.json')]);
    expect(made.code, made.stderr).toBe(0);
    const file = readJson<SignedView>(dir.file('changes.json'));
    expect(file.query.asOf > to).toBe(true);
    // Recorded late, by a clock behind: stamped no later than the file's to, which now includes it.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(Date.parse(to) - 1) });
    try {
      await agreeAnotherAction(dir.file('ledger.db'));
    } finally {
      vi.useRealTimers();
    }
    const again = await ledger(['verify-view', dir.file('changes.json'), '--public-key', dir.file('public.pem'), '-d', dir.path]);
    expect(again.code, again.stdout).toBe(1);
    expect(again.stdout).toContain(
      `FAILED (view-differs): at the file's to (${file.query.to}) the ledger now stands at position 3, not 2\n`,
    );
    expect(again.stdout).toContain(
      `- events were recorded after the file was read with a ledger time at or before its to (${file.query.to})`,
    );
    expect(again.stdout).not.toMatch(/its asOf|file's asOf/);
    // The options it prints ask the view again: `ledger view` takes no --as-of for changes on the ledger clock.
    const options = /^asked: +(.*)$/m.exec(again.stdout)![1]!;
    expect(options).not.toContain('--as-of');
    const args = [...options.matchAll(/(--[a-z-]+) "([^"]*)"/g)].flatMap((m) => [m[1]!, m[2]!]);
    const asked = await ledger(['view', 'changes', 'dorset', ...args, '-d', dir.path]);
    expect(asked.code, asked.stderr).toBe(0);
  }, 120_000);

  it("with -d, where the ledger holds fewer events at the file's clocks (a copy from before it was read), says so rather than put it down to entries recorded late", async () => {
    const dir = await signedLedger(dirs);
    const before = makeTempDir('ledger-verify-view-before-');
    dirs.push(before);
    for (const name of fs.readdirSync(dir.path)) fs.cpSync(dir.file(name), before.file(name), { recursive: true });
    await agreeAnotherAction(dir.file('ledger.db'));
    const made = await ledger(['view', 'plans', '--signed', '-o', dir.file('plans.json'), '-d', dir.path]);
    expect(made.code, made.stderr).toBe(0);
    const again = await ledger(['verify-view', dir.file('plans.json'), '--public-key', dir.file('public.pem'), '-d', before.path]);
    expect(again.code, again.stdout).toBe(1);
    expect(again.stdout).toMatch(/the ledger now stands at position 2, not 3\n {2}the file +3\n {2}the ledger +2\n/);
    expect(again.stdout).toContain("- the ledger holds fewer events at the file's asOf");
    expect(again.stdout).not.toContain('so the ledger read there now includes them');
  }, 120_000);

  it('names an organisation and an action in the signed file as read, trimmed as the API takes them, and reads them again with -d', async () => {
    const dir = await signedLedger(dirs);
    const deadlines = [
      'view',
      'deadlines',
      '--organisation',
      '  Dorset CCG ',
      '--signed',
      '-o',
      dir.file('deadlines.json'),
      '-d',
      dir.path,
    ];
    const timeline = ['view', 'timeline', 'dorset', '--action', ' 1.1\t', '--signed', '-o', dir.file('timeline.json'), '-d', dir.path];
    for (const args of [deadlines, timeline]) {
      const written = await ledger(args);
      expect(written.code, written.stderr).toBe(0);
    }
    expect(readJson<SignedView>(dir.file('deadlines.json')).query).toMatchObject({ organisation: 'Dorset CCG' });
    expect(readJson<SignedView>(dir.file('timeline.json')).query).toMatchObject({ action: '1.1' });
    for (const file of ['deadlines.json', 'timeline.json']) {
      const again = await ledger(['verify-view', dir.file(file), '--public-key', dir.file('public.pem'), '-d', dir.path]);
      expect(again.code, `${file}: ${again.stdout}${again.stderr}`).toBe(0);
    }
  });
});
