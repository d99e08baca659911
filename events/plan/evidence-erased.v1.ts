import { z } from 'zod';
import { Text } from './common.ts';
import { Sha256 } from './evidence-file-attached.v1.ts';

/**
 * An evidence file's content was erased (it held what must not be kept, such as a patient's
 * details): the file is removed from the blob store, and its hash stays in the ledger so every
 * check can say "erased" rather than "missing". Who erased it is the event's actor.
 */
export const EvidenceErasedV1 = z.object({ sha256: Sha256, reason: Text }).strict();
export type EvidenceErased = z.infer<typeof EvidenceErasedV1>;
