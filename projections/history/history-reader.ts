import type { PlanLines } from '../plan-status/plan-lines.ts';
import { partsAt, type PartAt } from './storage/block-codec.ts';
import type { HistoryStore } from './storage/history-store.ts';
import type { PartKey } from './storage/line-types.ts';
import { decodeLine } from './line-codec.ts';
import { HEADER, KNOWLEDGE } from './parts.ts';

/** Values kept in memory between reads (dropped all at once past this many): the values most lines share stay hot. */
const REMEMBERED_VALUES = 500_000;

/**
 * Reads every plan's lines at a point on one clock from the history (history-store.ts): one
 * block per plan, and of it only the lines standing at the point, decoded with the values they
 * name. Values are read from the store the first time a read needs them and kept; a read that
 * meets values not yet kept reads them all at once and decodes again.
 */
export const createHistoryReader = (store: HistoryStore) => {
  let values = new Map<number, unknown>();
  let missing = new Set<number>();
  const value = (id: number): unknown => {
    const known = values.get(id);
    if (known === undefined) missing.add(id);
    return known;
  };
  const readMissing = () => {
    const ids = [...missing];
    missing = new Set();
    if (values.size + ids.length > REMEMBERED_VALUES) values = new Map();
    for (const [id, v] of store.values(ids)) values.set(id, v);
  };

  /** A plan's lines from its parts at the point, or undefined when its header does not count there (not registered yet, or retracted). */
  const linesOf = (planId: string, bytes: Uint8Array, parts: Map<PartKey, PartAt>, knowledgePos: number): PlanLines | undefined => {
    const header = parts.get(HEADER);
    if (!header || header.line < 0) return undefined;
    const h = decodeLine(HEADER, bytes, header.line, value);
    if (h.part !== 'h' || h.line.retracted) return undefined;
    let position = knowledgePos;
    const shown: [PartKey, PartAt][] = [];
    for (const entry of parts) {
      if (entry[1].lastPos > position) position = entry[1].lastPos;
      if (entry[1].line >= 0 && entry[0] !== HEADER && entry[0] !== KNOWLEDGE) shown.push(entry);
    }
    shown.sort((a, b) => a[1].firstPos - b[1].firstPos);
    const { retracted: _retracted, ...fields } = h.line;
    const lines: PlanLines = { planId, ...fields, position, actions: [], recommendations: [] };
    for (const [part, at] of shown) {
      const decoded = decodeLine(part, bytes, at.line, value);
      if (decoded.part === 'a') lines.actions.push(decoded.line);
      else if (decoded.part === 'r') lines.recommendations.push(decoded.line);
    }
    return lines;
  };

  /**
   * Plans in id order after `after` with their lines at the point, up to `limit` of those that
   * count there. Plans whose business lines wait to be worked out again are named in `unsettled`
   * (business clock only) for the caller to fold instead.
   */
  const linesAt = (clock: 'ledger' | 'business', at: number, page: { after?: string | undefined; limit?: number | undefined } = {}) => {
    const unsettled: string[] = [];
    const limit = page.limit ?? Number.POSITIVE_INFINITY;
    const blocks = clock === 'ledger' ? store.ledgerBlocksAt(at, page.after) : store.businessBlocksAt(at, page.after);
    const found: { plan: string; bytes: Uint8Array; parts: Map<PartKey, PartAt>; knowledgePos: number }[] = [];
    for (const row of blocks) {
      if (found.length + unsettled.length >= limit) break;
      if (clock === 'business' && row.dirty) {
        unsettled.push(row.plan);
        continue;
      }
      if (!row.bytes) continue;
      const parts = partsAt(row.bytes, at);
      if (!((parts.get(HEADER)?.line ?? -1) >= 0)) continue;
      found.push({ plan: row.plan, bytes: row.bytes, parts, knowledgePos: clock === 'business' ? row.knowledgePos : -1 });
    }
    const decodeAll = () => found.map((f) => linesOf(f.plan, f.bytes, f.parts, f.knowledgePos));
    let plans = decodeAll();
    // Values not kept yet are read in one go, and the lines decoded again with them (a third
    // time when reading them made room by forgetting values this read had used).
    for (let pass = 0; missing.size > 0; pass++) {
      if (pass === 2) throw new Error(`the history's table of values lacks ids ${[...missing].slice(0, 5).join(', ')}`);
      readMissing();
      plans = decodeAll();
    }
    return { plans: plans.filter((l): l is PlanLines => l !== undefined), unsettled };
  };

  return { linesAt };
};
export type HistoryReader = ReturnType<typeof createHistoryReader>;
