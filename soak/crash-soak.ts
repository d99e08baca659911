import { once } from 'node:events';
import { createKeyWithCli } from '../test/support/cli-keys.ts';
import { makeTempDir } from '../test/support/temp-dir.ts';
import { ledgerFacts, verifyDataDir } from './ledger-check.ts';
import type { SoakResult } from './summary.ts';
import { client, randomInt, registerPlan, serve, spawnService, stop } from './support.ts';

const WRITERS = 16;
const PLANS = 4;

type Write = { key: string; plan: string; ref: string };

/**
 * Crashes: `ledger serve` is killed with SIGKILL at a random moment, from the instant it is
 * spawned (so some kills land while it starts) to a few seconds into a load of 16 writers,
 * each sending its writes with an Idempotency-Key. A write without an answer is in doubt and is
 * sent again, with the same key, after the restart. Between cycles, with the service down,
 * every acknowledged write must be in the ledger and the ledger must verify. SOAK_CRASH_CYCLES
 * (default 50) sets the number of cycles.
 */
export const run = async (): Promise<SoakResult> => {
  const cycles = Number(process.env.SOAK_CRASH_CYCLES ?? 50);
  const dir = makeTempDir('ledger-soak-crash-');
  const key = createKeyWithCli(dir.path, 'plan-manager', 'Soak Trust');
  const acknowledged = new Map<string, string>(); // Idempotency-Key -> the event id the answer named
  const inDoubt = new Map<string, Write>();
  const seq = new Array<number>(WRITERS).fill(0);
  const notes: string[] = [];
  const figures = { killedWhileStarting: 0, verifyFailures: 0, lost: 0, unexpectedAnswers: 0 };
  let startMs = 3000;

  {
    const began = performance.now();
    const first = await serve(dir.path);
    startMs = Math.round(performance.now() - began);
    for (let p = 0; p < PLANS; p++) await registerPlan(client(first.url, key), `crash-${p}`, 'Soak Trust', 1);
    await stop(first.child);
  }

  /** Sends one write; true when the service answered it (acknowledged or refused), false when it could not be reached. */
  const send = async (url: string, write: Write): Promise<boolean> => {
    let response: Response;
    try {
      response = await client(url, key).post(
        `/plans/${write.plan}/sections`,
        { sectionRef: write.ref, title: `Section ${write.ref}`, effectiveOn: '2015-03' },
        { 'idempotency-key': write.key },
      );
    } catch {
      inDoubt.set(write.key, write);
      return false;
    }
    const body = (await response.json().catch(() => ({}))) as { eventIds?: string[]; code?: string };
    inDoubt.delete(write.key);
    if (response.status === 201 || response.status === 200) acknowledged.set(write.key, body.eventIds![0]!);
    else if (response.status === 503)
      inDoubt.set(write.key, write); // shutting down or not ready: try again later
    else {
      figures.unexpectedAnswers++;
      notes.push(`write ${write.key}: ${response.status} ${body.code ?? ''}`);
    }
    return true;
  };

  const writer = async (w: number, url: string, alive: () => boolean) => {
    while (alive()) {
      const mine = [...inDoubt.values()].find((d) => d.key.startsWith(`w${w}-`));
      const n = seq[w]!++;
      const write = mine ?? { key: `w${w}-${n}`, plan: `crash-${w % PLANS}`, ref: `w${w}-${n}` };
      if (!(await send(url, write))) return;
    }
  };

  for (let cycle = 1; cycle <= cycles; cycle++) {
    const spawned = performance.now();
    const service = await spawnService(dir.path);
    const child = service.child;
    let alive = true;
    const kill = () => {
      alive = false;
      child.kill('SIGKILL');
    };
    // One cycle in four is killed while it starts (anywhere in a start as long as the last one);
    // the others a random moment into the load of 16 writers, up to three seconds.
    const duringStart = cycle % 4 === 1;
    let killAfter = duringStart ? randomInt(startMs) : 0;
    let timer = duringStart ? setTimeout(kill, killAfter) : undefined;
    const listening = await service.ready;
    if (listening) {
      startMs = Math.round(performance.now() - spawned);
      if (!duringStart) {
        killAfter = startMs + randomInt(3000);
        timer = setTimeout(kill, killAfter - startMs);
      }
      await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w, listening, () => alive)));
    } else figures.killedWhileStarting++;
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    clearTimeout(timer);
    if (child.signalCode !== 'SIGKILL')
      notes.push(`cycle ${cycle}: the service ended by itself (${child.exitCode}): ${service.output().slice(-300)}`);

    const check = await cycleCheck(dir.path, acknowledged);
    figures.lost = check.lost;
    if (check.failure) {
      figures.verifyFailures++;
      notes.push(`cycle ${cycle}: ${check.failure}`);
    }
    console.log(
      `cycle ${cycle}/${cycles}: killed after ${killAfter} ms${listening ? '' : ', while starting'}; acknowledged ${acknowledged.size}, in doubt ${inDoubt.size}, lost ${check.lost}, ${check.failure ?? 'verified'}`,
    );
  }

  // The last word: every write in doubt sent again with its key, then the whole ledger checked.
  const last = await serve(dir.path);
  const resent = inDoubt.size;
  for (const write of [...inDoubt.values()]) await send(last.url, write);
  await stop(last.child);
  const final = await cycleCheck(dir.path, acknowledged, true);
  if (final.failure) {
    figures.verifyFailures++;
    notes.push(`final: ${final.failure}`);
  }
  dir.remove();
  const passed = final.lost === 0 && figures.verifyFailures === 0 && figures.unexpectedAnswers === 0 && final.duplicates === 0;
  return {
    part: 'crash',
    passed,
    figures: {
      cycles,
      'killed while starting': figures.killedWhileStarting,
      acknowledged: acknowledged.size,
      lost: final.lost,
      'in doubt, sent again': resent,
      'applied twice': final.duplicates,
      'verify failures': figures.verifyFailures,
      'events in ledger': final.events,
    },
    notes,
  };
};

/** With the service down: acknowledged writes missing from the ledger, sections recorded twice, and whether it verifies. */
const cycleCheck = async (dataDir: string, acknowledged: Map<string, string>, final = false) => {
  const facts = await ledgerFacts(dataDir);
  const lost = [...acknowledged.values()].filter((eventId) => !facts.eventIds.has(eventId)).length;
  const report = await verifyDataDir(dataDir);
  const failure = report && !report.ok ? `verify failed (${report.failure?.kind}): ${report.failure?.message}` : undefined;
  return {
    lost,
    duplicates: facts.duplicateSections,
    events: facts.count,
    failure: final && !report ? 'no signing key to verify with' : failure,
  };
};
