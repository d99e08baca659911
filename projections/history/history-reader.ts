import type { PlanLines } from '../plan-status/plan-lines.ts';
import type { HistoryStore, PlanBlockAt } from './storage/history-store.ts';
import { stateAt, type LineState } from './storage/line-blocks.ts';
import { decodeLine, eagerIds, type EncodedLine } from './line-codec.ts';
import { HEADER, KNOWLEDGE } from './parts.ts';

/** Values kept in memory between reads (dropped all at once past this many): the values most lines share stay hot. */
const REMEMBERED_VALUES = 500_000;

/**
 * Reads every plan's lines at a point on one clock from the history (history-store.ts): one
 * block per plan, its changes up to the point laid on its base, decoded with the values they
 * name. The values are read once and kept; texts and revision details only when a view shows them.
 */
export const createHistoryReader = (store: HistoryStore) => {
  let values = new Map<number, unknown>();
  const load = (ids: Iterable<number>) => {
    const missing = [...new Set(ids)].filter((id) => !values.has(id));
    if (missing.length === 0) return;
    if (values.size + missing.length > REMEMBERED_VALUES) values = new Map();
    for (const [id, value] of store.values(missing)) values.set(id, value);
  };
  const resolve = (id: number): unknown => {
    if (!values.has(id)) load([id]);
    return values.get(id);
  };

  /** A plan's lines from its state at the point, or undefined when its header does not count there (it was not registered yet). */
  const linesOf = (planId: string, state: LineState, knowledgePos: number): PlanLines | undefined => {
    const header = state.get(HEADER);
    if (!header?.line) return undefined;
    const h = decodeLine(HEADER, header.line, resolve);
    if (h.part !== 'h' || h.line.retracted) return undefined;
    let position = knowledgePos;
    const parts = [...state].filter(([, s]) => {
      if (s.lastPos > position) position = s.lastPos;
      return s.line !== null;
    });
    parts.sort((a, b) => a[1].firstPos - b[1].firstPos);
    const { retracted: _retracted, ...fields } = h.line;
    const lines: PlanLines = { planId, ...fields, position, actions: [], recommendations: [] };
    for (const [part, s] of parts) {
      if (part === HEADER || part === KNOWLEDGE) continue;
      const decoded = decodeLine(part, s.line!, resolve);
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
    const states: [PlanBlockAt, LineState][] = [];
    for (const row of blocks) {
      if (states.length + unsettled.length >= limit) break;
      if (clock === 'business' && row.dirty) {
        unsettled.push(row.plan);
        continue;
      }
      if (!row.block) continue;
      const state = stateAt(row.block, at);
      if (!state.get(HEADER)?.line) continue;
      states.push([row, state]);
    }
    // Every value the figures need, in one read; the rest as the views ask for them.
    load(states.flatMap(([, state]) => [...state].flatMap(([part, s]) => (s.line ? eagerIds(part, s.line as EncodedLine) : []))));
    const plans = states
      .map(([row, state]) => linesOf(row.plan, state, clock === 'business' ? row.knowledgePos : -1))
      .filter((l): l is PlanLines => l !== undefined);
    return { plans, unsettled };
  };

  return { linesAt };
};
export type HistoryReader = ReturnType<typeof createHistoryReader>;
