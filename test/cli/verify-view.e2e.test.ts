import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCli } from '../../src/cli/main.ts';
import { signText } from '../../src/integrity/signed-text.ts';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { signView, type SignedView } from '../../src/integrity/view-signature.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { viewsRelease } from '../../src/views/views-release.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { readJson, signedLedger } from './signed-ledger.ts';
import { ledger, recordPlan } from './view-support.ts';

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
      release: viewsRelease(),
      checkpoint: { treeSize: 3, keyId: envelope.publicKey.keyId },
      keyHistory: [],
      signature: { keyId: envelope.publicKey.keyId },
    });
    expect(Object.keys(envelope.query).sort()).toEqual(['asOf', 'effectiveOn', 'from', 'to']);
    // The release names the read models' versions too, which move whenever what a view says of the same events changes.
    expect(envelope.release).toMatch(/^\d+\.\d+\.\d+ \(read models plan-status v\d+, evidence-files v\d+, business-dates v\d+\)$/);

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
