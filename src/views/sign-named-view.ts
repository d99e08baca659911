import type { LedgerIntegrity } from '../integrity/ledger-integrity.ts';
import { checkpointHolding } from '../integrity/view-checkpoint.ts';
import { signView, VIEW_FORMAT, type SignedView } from '../integrity/view-signature.ts';
import { viewsRelease } from './views-release.ts';
import type { NamedViewRead, ViewName, ViewQuery } from './named-view.ts';

/**
 * A view's answer in an envelope that names the view, its query, the position it includes, who
 * read it, when and with which release, over a signed checkpoint whose tree holds that position;
 * signed by the ledger's key (src/integrity/view-signature.ts). The checkpoint is the latest when
 * it holds the position, else one signed now (a write to the ledger, as an export's). `readBy`
 * names the reader as the access log does: `cli:<user>@<host>` or the API principal.
 */
export const signNamedView = async (
  ledger: Pick<LedgerIntegrity, 'checkpoints' | 'checkpointNow' | 'keyHistory' | 'publicKey' | 'signStatement'>,
  asked: { view: ViewName; subject: string | undefined; query: ViewQuery; readBy: string; readAt: Date },
  read: Pick<NamedViewRead, 'answer' | 'position'>,
): Promise<SignedView> => {
  const { checkpoint, keyHistory } = await checkpointHolding(ledger, read.position);
  return signView(
    {
      format: VIEW_FORMAT,
      view: asked.view,
      subject: asked.subject ?? null,
      query: asked.query,
      position: String(read.position),
      readAt: asked.readAt.toISOString(),
      readBy: asked.readBy,
      release: viewsRelease(),
      answer: read.answer,
      checkpoint,
      publicKey: ledger.publicKey,
      keyHistory,
    },
    ledger.signStatement,
  );
};
