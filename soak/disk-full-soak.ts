import fs from 'node:fs';
import path from 'node:path';
import { createKeyWithCli } from '../test/support/cli-keys.ts';
import { mountSmallDisk, smallDiskSupport } from '../test/support/small-disk.ts';
import { ledgerFacts, verifyDataDir } from './ledger-check.ts';
import type { SoakResult } from './summary.ts';
import { client, registerPlan, serve, sleep, spawnService, stop } from './support.ts';

const WRITERS = 16;
const ROUNDS = 5;
/** Room for the ledger's files and their write-ahead logs (each may reach 4 MiB before SQLite folds it back) beside the filler. */
const DISK = '32m';

/** The data dir's files and their sizes: what took the room, when the service does not recover. */
const filesOn = (dir: string) =>
  fs
    .readdirSync(dir)
    .map((name) => `${name} ${(fs.statSync(path.join(dir, name)).size / 1024).toFixed(0)} KiB`)
    .join(', ');

/**
 * Disk full: the data dir on a real 32 MiB tmpfs (root only; otherwise the part says it
 * skipped). Each round, 16 writers with Idempotency-Keys write while another program takes
 * every free byte: every answer must be 201 or 507 storage-full (never another 5xx), /ready
 * must say 503 while full, and once the space is given back the service must take writes
 * again by itself. Then a start on the full disk must stop with one line saying so, and at the
 * end every acknowledged write is in the ledger, no refused one is, and the ledger verifies.
 */
export const run = async (): Promise<SoakResult> => {
  const support = smallDiskSupport();
  if (!support.available) return { part: 'disk-full', passed: true, figures: { skipped: 'yes' }, notes: [`skipped: ${support.reason}`] };
  const disk = mountSmallDisk(DISK);
  const notes: string[] = [];
  const tally = { acknowledged: 0, refused507: 0, otherErrors: 0, notReadyWhileFull: 0, recovered: 0, fullStartRefused: 0 };
  const acknowledged = new Set<string>();
  try {
    const key = createKeyWithCli(disk.path, 'plan-manager', 'Soak Trust');
    const env = { LEDGER_CHECKPOINT_INTERVAL_MS: '0' };
    let service = await serve(disk.path, env);
    await registerPlan(client(service.url, key), 'full', 'Soak Trust', 1);
    let n = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const api = client(service.url, key);
      let full = false;
      const writer = async (w: number) => {
        // Until the disk has been full a while: every writer meets the refusal.
        for (let refusals = 0; refusals < 5;) {
          const ref = `r${round}-w${w}-${n++}`;
          const body = { sectionRef: ref, title: `Section ${ref} ${'x'.repeat(300)}`, effectiveOn: '2015-03' };
          const response = await api.post('/plans/full/sections', body, { 'idempotency-key': ref });
          const answer = (await response.json().catch(() => ({}))) as { eventIds?: string[]; code?: string };
          if (response.status === 201) {
            tally.acknowledged++;
            acknowledged.add(answer.eventIds![0]!);
          } else if (response.status === 507 && answer.code === 'storage-full') {
            tally.refused507++;
            if (full) refusals++;
          } else {
            tally.otherErrors++;
            notes.push(`round ${round}: ${response.status} ${answer.code ?? ''}`);
            return;
          }
        }
      };
      const filling = (async () => {
        await sleep(300);
        disk.fill();
        full = true;
      })();
      await Promise.all([filling, ...Array.from({ length: WRITERS }, (_, w) => writer(w))]);
      if ((await fetch(`${service.url}/ready`)).status === 503) tally.notReadyWhileFull++;
      else notes.push(`round ${round}: /ready did not say 503 while the disk was full`);
      disk.free();
      let wrote = false;
      for (let i = 0; i < 100 && !wrote; i++) {
        const response = await api.post('/plans/full/sections', { sectionRef: `after-${round}`, title: 'After', effectiveOn: '2015-03' });
        wrote = response.status === 201;
        if (wrote) acknowledged.add(((await response.json()) as { eventIds: string[] }).eventIds[0]!);
        else await sleep(100);
      }
      if (wrote) tally.recovered++;
      else notes.push(`round ${round}: no write succeeded within 10 s of the space coming back; on the disk: ${filesOn(disk.path)}`);
      console.log(
        `round ${round}/${ROUNDS}: acknowledged ${tally.acknowledged}, 507 ${tally.refused507}, other errors ${tally.otherErrors}, ${wrote ? 'recovered' : 'NOT recovered'}`,
      );
      // Room for the next round's writes: the ledger keeps what it holds, the filler goes.
    }
    await stop(service.child);

    // A start on a full disk: one line that says so, not a stack.
    disk.fill();
    const blocked = await spawnService(disk.path, env);
    const started = await blocked.ready;
    if (started) {
      notes.push('the service started on a full disk');
      await stop(blocked.child);
    } else if (/the disk holding .* is full/.test(blocked.output())) tally.fullStartRefused++;
    else notes.push(`a start on a full disk ended without saying the disk is full: ${blocked.output().slice(-300)}`);
    disk.free();
    service = await serve(disk.path, env);
    await stop(service.child);
  } catch (error) {
    notes.push(`stopped: ${(error as Error).message}`);
    tally.otherErrors++;
  }
  const facts = await ledgerFacts(disk.path);
  const lost = [...acknowledged].filter((id) => !facts.eventIds.has(id)).length;
  // One section per acknowledged write (the plan's own section 1 aside): a refused write left nothing behind.
  const sections = facts.sectionRefs.filter((ref) => ref !== '1').length;
  const report = await verifyDataDir(disk.path);
  if (!report?.ok) notes.push(`verify failed: ${report?.failure?.kind ?? 'no signing key'} ${report?.failure?.message ?? ''}`);
  if (sections !== acknowledged.size)
    notes.push(`${sections} sections in the ledger, ${acknowledged.size} acknowledged: a refused write left one behind`);
  disk.remove();
  return {
    part: 'disk-full',
    passed:
      tally.otherErrors === 0 &&
      lost === 0 &&
      sections === acknowledged.size &&
      report?.ok === true &&
      tally.recovered === ROUNDS &&
      tally.notReadyWhileFull === ROUNDS &&
      tally.fullStartRefused === 1,
    figures: {
      rounds: ROUNDS,
      acknowledged: acknowledged.size,
      '507 storage-full': tally.refused507,
      'other errors': tally.otherErrors,
      lost,
      'ready 503 while full': `${tally.notReadyWhileFull}/${ROUNDS}`,
      recovered: `${tally.recovered}/${ROUNDS}`,
      'full start refused in one line': tally.fullStartRefused === 1 ? 'yes' : 'no',
    },
    notes,
  };
};
