import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCli } from '../../src/cli/main.ts';
import { createCommandHandler } from '../../src/commands/command-path.ts';
import { signCheckpoint } from '../../src/integrity/checkpoint.ts';
import { signText } from '../../src/integrity/signed-text.ts';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { signView, type SignedView } from '../../src/integrity/view-signature.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { toolVersion } from '../../src/tool-version.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { actor, ledger, recordPlan } from './view-support.ts';

/** A data dir with the ledger's signing key and the Dorset plan of view-support.ts: three events, positions 0 to 2. */
const signedLedger = async (dirs: ReturnType<typeof makeTempDir>[]) => {
  const dir = makeTempDir('ledger-verify-view-');
  dirs.push(dir);
  loadSigningKey({ dataDir: dir.path });
  await recordPlan(dir.file('ledger.db'));
  fs.writeFileSync(dir.file('public.pem'), loadSigningKey({ dataDir: dir.path }).key.publicKeyPem);
  return dir;
};

/** One more action agreed for Dorset, recorded now: after any asOf taken before it. */
const agreeAnotherAction = async (file: string) => {
  const store = openSqliteEventStore({ file });
  await createCommandHandler({ store })(
    'dorset',
    {
      type: 'AgreeAction',
      data: {
        ref: '1.2',
        text: 'Train the staff',
        recommendationRefs: [],
        leadOrganisations: ['Dorset CCG'],
        partnerOrganisations: [],
        intendedOutcomes: [],
        due: { kind: 'date', date: '2017-06' },
        relatedActionRefs: [],
      },
    },
    { actor, commandId: 'later', correlationId: 'view', provenance: { source: 'api' }, effectiveOn: '2015-06' },
  );
  await store.close();
};

const readJson = <T>(file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

/**
 * `ledger verify-view` run offline in this process, through the command line's own program, for the many variants of
 * one check: a process each would spend most of its second loading the command's modules. Each test still runs the
 * command as a process too. The exit code is read from process.exitCode, which is put back as it was.
 */
const verifyInProcess = async (args: string[]) => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void stdout.push(`${parts.join(' ')}\n`));
  const error = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void stderr.push(`${parts.join(' ')}\n`));
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    await (await buildCli('verify-view')).parseAsync(['verify-view', ...args], { from: 'user' });
    return { code: Number(process.exitCode ?? 0), stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    process.exitCode = exitCode;
    log.mockRestore();
    error.mockRestore();
  }
};

describe('ledger view --signed and ledger verify-view (real SQLite data dirs; real processes, and the variants of a check through the same program in process)', () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('wraps exactly the unsigned answer in an envelope naming its query, position, reader and checkpoint, which verifies against the pinned key (0) and only consistently without it (3)', async () => {
    const dir = await signedLedger(dirs);
    const asOf = new Date().toISOString();
    const args = [
      'view',
      'deadlines',
      '--from',
      '2015-10',
      '--to',
      '2018-03',
      '--as-of',
      asOf,
      '--effective-on',
      '2016-01',
      '-d',
      dir.path,
    ];
    const plain = await ledger([...args, '-o', dir.file('plain.json')]);
    expect(plain.code, plain.stderr).toBe(0);
    const signed = await ledger([...args, '--signed', '-o', dir.file('signed.json')]);
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stderr).toMatch(
      /^wrote deadlines from 2015-10 to 2018-03 as of .*signed\.json, signed by key [0-9a-f]{16} over checkpoint 3\n$/,
    );

    const envelope = readJson<SignedView>(dir.file('signed.json'));
    // The answer is byte for byte what the command writes without --signed.
    expect(`${JSON.stringify(envelope.answer, null, 2)}\n`).toBe(fs.readFileSync(dir.file('plain.json'), 'utf8'));
    expect(envelope).toMatchObject({
      format: 'assurance-ledger/view/v1',
      view: 'deadlines',
      subject: null,
      query: { asOf, effectiveOn: '2016-01', from: '2015-10', to: '2018-03' },
      position: '2',
      readBy: expect.stringMatching(/^cli:.+@.+$/),
      release: toolVersion().version,
      checkpoint: { treeSize: 3, keyId: envelope.publicKey.keyId },
      keyHistory: [],
      signature: { keyId: envelope.publicKey.keyId },
    });
    expect(Object.keys(envelope.query).sort()).toEqual(['asOf', 'effectiveOn', 'from', 'to']);

    const pinned = await ledger(['verify-view', dir.file('signed.json'), '--public-key', dir.file('public.pem')]);
    expect(pinned.code, pinned.stdout + pinned.stderr).toBe(0);
    expect(pinned.stdout).toMatch(/^view:\s+deadlines\n/);
    expect(pinned.stdout).toMatch(/position:\s+2, in checkpoint 3/);
    expect(pinned.stdout).toContain('OK: the view and its checkpoint are signed by the key you pinned, and unchanged since');
    const unpinned = await ledger(['verify-view', dir.file('signed.json')]);
    expect(unpinned.code, unpinned.stdout).toBe(3);
    expect(unpinned.stdout).toContain('NOT VERIFIED: the view is consistent, but only with the key inside it');
    expect(unpinned.stdout).toMatch(/the key was not pinned/);
  }, 240_000);

  it('fails (exit 1, naming the check) a view whose answer, position or checkpoint was edited, or that another key is pinned for', async () => {
    const dir = await signedLedger(dirs);
    const made = await ledger([
      'view',
      'plan',
      'dorset',
      '--effective-on',
      '2016-01',
      '--signed',
      '-o',
      dir.file('plan.json'),
      '-d',
      dir.path,
    ]);
    expect(made.code, made.stderr).toBe(0);
    const original = readJson<SignedView & { answer: { actions: { status: string }[] } }>(dir.file('plan.json'));
    const variant = (name: string, edit: (v: typeof original) => void) => {
      const copy = structuredClone(original);
      edit(copy);
      fs.writeFileSync(dir.file(name), JSON.stringify(copy, null, 2));
      return dir.file(name);
    };
    const ledgerKey = loadSigningKey({ dataDir: dir.path }).key;
    const resigned = (name: string, { signature: _signature, ...fields }: typeof original) => {
      fs.writeFileSync(
        dir.file(name),
        JSON.stringify(signView(fields, (text) => ({ keyId: ledgerKey.keyId, signature: signText(ledgerKey, text) }))),
      );
      return dir.file(name);
    };
    loadSigningKey({ dataDir: dir.file('another') });
    fs.writeFileSync(dir.file('another.pem'), loadSigningKey({ dataDir: dir.file('another') }).key.publicKeyPem);
    for (const [file, key, says] of [
      [
        variant('answer.json', (v) => void (v.answer.actions[0]!.status = 'completed')),
        'public.pem',
        /FAILED \(view-signature-invalid\): the view's signature by key [0-9a-f]{16} does not hold over its content/,
      ],
      [variant('position.json', (v) => void (v.position = '1')), 'public.pem', /FAILED \(view-signature-invalid\)/],
      [
        variant('checkpoint.json', (v) => void (v.checkpoint.rootHash = '0'.repeat(64))),
        'public.pem',
        /FAILED \(checkpoint-signature-invalid\): checkpoint 3 is not signed by key/,
      ],
      [dir.file('plan.json'), 'another.pem', /FAILED \(untrusted-key\): the view is signed by key [0-9a-f]{16}, not by the key you pinned/],
      [
        variant('extra.json', (v) => Object.assign(v, { note: 'added later' })),
        'public.pem',
        /FAILED \(malformed-view\): not a signed view/,
      ],
      // Signed with the ledger's own key, yet claiming a position its checkpoint's tree does not hold.
      [
        resigned('beyond.json', { ...original, position: '3' }),
        'public.pem',
        /FAILED \(view-beyond-checkpoint\): the view includes position 3/,
      ],
    ] as const) {
      // The first as a process, as an auditor runs it; the others through the same program in this process.
      const args = ['verify-view', file, '--public-key', dir.file(key)];
      const result = file.endsWith('answer.json') ? await ledger(args) : await verifyInProcess(args.slice(1));
      expect(result.code, `${file}: ${result.stdout}${result.stderr}`).toBe(1);
      expect(result.stdout).toMatch(says);
      expect(result.stdout).not.toMatch(/^OK/m);
      // A file whose checks failed is not said to be signed by anyone, nor by the supplied key when it names another.
      expect(result.stdout).not.toMatch(/^signed by/m);
      if (key === 'another.pem') {
        expect(result.stdout).toMatch(/^the file names key [0-9a-f]{16} as its signer, not the key you supplied \([0-9a-f]{16}\)$/m);
        expect(result.stdout).not.toContain('(the key you supplied)');
        // A file that does not parse names no key.
      } else if (!says.source.includes('malformed-view'))
        expect(result.stdout).toMatch(/^the file names key [0-9a-f]{16} as its signer \(the key you supplied\)$/m);
    }
    // A key file that cannot be read pins nothing: said as every offline verifier says it, and nothing is checked.
    const unreadable = await verifyInProcess([dir.file('plan.json'), '--public-key', dir.file('no-such-key.pem')]);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toMatch(/^cannot read the public key .*no-such-key\.pem: ENOENT/m);
    expect(unreadable.stdout).toBe('');
  }, 240_000);

  it('refuses (malformed-view, exit 1) a file with two readings, whose signature holds only over the reading JSON.parse keeps, and one with no canonical JSON, but not one behind a byte-order mark', async () => {
    const dir = await signedLedger(dirs);
    const made = await ledger(['view', 'plan', 'dorset', '--signed', '-o', dir.file('plan.json'), '-d', dir.path]);
    expect(made.code, made.stderr).toBe(0);
    const text = fs.readFileSync(dir.file('plan.json'), 'utf8');
    // An answer of someone's choosing first, the signed one after it: JSON.parse keeps the last, a person reading the file
    // (or a reader that keeps the first) sees the first. Only one reading may be signed.
    fs.writeFileSync(dir.file('twice.json'), text.replace(/^\{\n/, '{\n  "answer": { "title": "Not the plan the ledger holds" },\n'));
    // A number JSON.parse reads otherwise than written (as Infinity), and a lone surrogate, which has no RFC 8785 form.
    fs.writeFileSync(dir.file('infinite.json'), text.replace('"revision": 2,', '"revision": 1e400,'));
    fs.writeFileSync(dir.file('surrogate.json'), text.replace('"title": "Dorset plan"', '"title": "Dorset \\ud800"'));
    // A byte-order mark before it, as an editor may save one, is no second reading: the same value, verified.
    fs.writeFileSync(dir.file('bom.json'), `\uFEFF${text}`);
    const bom = await verifyInProcess([dir.file('bom.json'), '--public-key', dir.file('public.pem')]);
    expect(bom.code, bom.stdout).toBe(0);
    for (const [file, says] of [
      ['twice.json', /FAILED \(malformed-view\): not a signed view: answer is given twice; a member may appear once in an object/],
      ['infinite.json', /FAILED \(malformed-view\): not a signed view: answer\.revision: 1e400 cannot be kept exactly as a number/],
      ['surrogate.json', /FAILED \(malformed-view\): not a signed view: it has no canonical JSON form \(Lone surrogate is not allowed\)/],
    ] as const) {
      // Offline through the program in this process; and as a process with -d, which must not read it again either.
      for (const result of [
        await verifyInProcess([dir.file(file), '--public-key', dir.file('public.pem')]),
        ...(file === 'twice.json'
          ? [await ledger(['verify-view', dir.file(file), '--public-key', dir.file('public.pem'), '-d', dir.path])]
          : []),
      ]) {
        expect(result.code, `${file}: ${result.stdout}${result.stderr}`).toBe(1);
        expect(result.stdout).toMatch(says);
        expect(result.stdout).not.toMatch(/^OK/m);
      }
    }
  }, 240_000);

  it('prints what the file says (its reader, its release, an answer read again) with its control characters shown, not sent to the terminal', async () => {
    const dir = await signedLedger(dirs);
    const made = await ledger(['view', 'plans', '--signed', '-o', dir.file('plans.json'), '-d', dir.path]);
    expect(made.code, made.stderr).toBe(0);
    // An edited file whose release moves the cursor to a line of its own, writes a pass there, and hides what follows.
    const hiding = '\u001b[1EOK: the view and its checkpoint are signed by the key you pinned, and unchanged since\u001b[8m';
    const edited = { ...readJson<SignedView>(dir.file('plans.json')), readBy: 'cli:someone@\u009b2K', release: `0.1.0${hiding}` };
    fs.writeFileSync(dir.file('edited.json'), JSON.stringify(edited, null, 2));
    const result = await ledger(['verify-view', dir.file('edited.json'), '--public-key', dir.file('public.pem')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAILED \(view-signature-invalid\)/m);
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal from the file
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(result.stdout).toContain(
      'read:                ' + `${edited.readAt} by "cli:someone@\\u009b2K", release "0.1.0\\u001b[1EOK: the view and its checkpoint`,
    );
    // Read again, the release is named among the reasons and the answer that differs is shown: neither reaches the terminal raw.
    const plans = edited as SignedView & { answer: { plans: Record<string, string>[] } };
    plans.answer.plans[0]!['\u009b2A\u001b[3A'] = 'Dorset plan\u009b2A\u001b[3A';
    fs.writeFileSync(dir.file('edited.json'), JSON.stringify(plans, null, 2));
    const again = await ledger(['verify-view', dir.file('edited.json'), '--public-key', dir.file('public.pem'), '-d', dir.path]);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('first at $.plans[0]["\\u009b2A\\u001b[3A"]\n  the file   "Dorset plan\\u009b2A\\u001b[3A"\n');
    expect(again.stdout).toMatch(/^ {2}- the file was read by release "0\.1\.0\\u001b\[1EOK/m);
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal from the file
    expect(again.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  }, 120_000);

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

  it('verifies a view signed after an endorsed key rotation against the old pinned key, through the key history it carries', async () => {
    const dir = await signedLedger(dirs);
    const rotated = await ledger(['rotate-signing-key', '-d', dir.path, '--reason', 'yearly rotation']);
    expect(rotated.code, rotated.stderr).toBe(0);
    const made = await ledger(['view', 'plans', '--signed', '-o', dir.file('plans.json'), '-d', dir.path]);
    expect(made.code, made.stderr).toBe(0);
    const view = readJson<SignedView>(dir.file('plans.json'));
    expect(view.keyHistory).toHaveLength(1);
    const oldKeyId = view.keyHistory[0]!.from.keyId;
    expect(view.signature.keyId).not.toBe(oldKeyId);
    const old = await ledger(['verify-view', dir.file('plans.json'), '--public-key', dir.file('public.pem')]);
    expect(old.code, old.stdout).toBe(0);
    expect(old.stdout).toContain(`endorsed through the ledger's key history (${oldKeyId} -> ${view.signature.keyId})`);
  }, 120_000);

  it('refuses --signed on a ledger with no events, which no checkpoint can stand under, writing no file', async () => {
    const dir = makeTempDir('ledger-verify-view-');
    dirs.push(dir);
    loadSigningKey({ dataDir: dir.path });
    await openSqliteEventStore({ file: dir.file('ledger.db') }).close();
    const refused = await ledger(['view', 'plans', '--signed', '-o', dir.file('plans.json'), '-d', dir.path]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'ledger view: the ledger holds no events, so no checkpoint can stand under a signed view\nNothing was written.\n',
    );
    expect(fs.existsSync(dir.file('plans.json'))).toBe(false);
  }, 60_000);

  it('refuses --signed when no private signing key can be loaded, before reading anything, writing nothing', async () => {
    const dir = makeTempDir('ledger-verify-view-');
    dirs.push(dir);
    await recordPlan(dir.file('ledger.db'));
    const files = fs.readdirSync(dir.path);
    const refused = await ledger(['view', 'plan', 'dorset', '--signed', '-o', dir.file('plan.json'), '-d', dir.path]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^ledger view: --signed needs the ledger's private signing key: no ledger signing key at .*ledger-signing-key\.pem .*\nNothing was written\.\n$/,
    );
    expect(refused.stdout).toBe('');
    // Not the file, nor the read store, nor an access-log entry of a read that never happened.
    expect(fs.readdirSync(dir.path)).toEqual(files);
  }, 60_000);
});
