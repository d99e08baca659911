import type { Backend } from '../backend/backend.ts';
import type { Config } from '../config.ts';
import type { LedgerSigningKey } from '../integrity/signing-key.ts';
import type { SignedView } from '../integrity/view-signature.ts';
import type { ViewName, ViewQuery } from '../views/named-view.ts';
import { signNamedView } from '../views/sign-named-view.ts';
import { commandLinePrincipal } from './command-line-user.ts';
import type { ViewRead } from './view-read.ts';
import { integrityOf } from './with-backend.ts';

/**
 * `ledger view --signed`: the answer in the envelope src/views/sign-named-view.ts makes, read by
 * the system user on this machine. Signing may sign a checkpoint (a write to the ledger, as an export's).
 */
export const signedViewOf = async (
  source: { backend: Backend; config: Config; key: LedgerSigningKey },
  asked: { view: ViewName; subject: string | undefined; query: ViewQuery },
  read: Pick<ViewRead, 'answer' | 'position'>,
): Promise<SignedView> => {
  const ledger = integrityOf(source.backend, source.config, source.key);
  try {
    return await signNamedView(ledger, { ...asked, readBy: commandLinePrincipal(), readAt: new Date() }, read);
  } finally {
    await ledger.close();
  }
};
