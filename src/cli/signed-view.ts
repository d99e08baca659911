import type { Backend } from '../backend/backend.ts';
import type { Config } from '../config.ts';
import type { LedgerSigningKey } from '../integrity/signing-key.ts';
import { checkpointHolding } from '../integrity/view-checkpoint.ts';
import { signView, VIEW_FORMAT, type SignedView } from '../integrity/view-signature.ts';
import { toolVersion } from '../tool-version.ts';
import { commandLinePrincipal } from './command-line-user.ts';
import type { ViewQuery } from './view-query.ts';
import type { ViewRead } from './view-read.ts';
import { integrityOf } from './with-backend.ts';

/**
 * `ledger view --signed`: the answer in an envelope that names the view, its query, the position
 * it includes, who read it, when and with which release, over a signed checkpoint whose tree holds
 * that position; signed by the ledger's key (src/integrity/view-signature.ts). The checkpoint is
 * the latest when it holds the position, else one signed now (a write to the ledger, as an export's).
 */
export const signedViewOf = async (
  source: { backend: Backend; config: Config; key: LedgerSigningKey },
  asked: { view: string; subject: string | undefined; query: ViewQuery },
  read: Pick<ViewRead, 'answer' | 'position'>,
): Promise<SignedView> => {
  const ledger = integrityOf(source.backend, source.config, source.key);
  try {
    const { checkpoint, keyHistory } = await checkpointHolding(ledger, read.position);
    return signView(
      {
        format: VIEW_FORMAT,
        view: asked.view,
        subject: asked.subject ?? null,
        query: asked.query,
        position: String(read.position),
        readAt: new Date().toISOString(),
        readBy: commandLinePrincipal(),
        release: toolVersion().version,
        answer: read.answer,
        checkpoint,
        publicKey: ledger.publicKey,
        keyHistory,
      },
      ledger.signStatement,
    );
  } finally {
    await ledger.close();
  }
};
