import { z } from 'zod';
import { Due } from '../business-date.ts';
import { Organisation, Ref, Text } from './common.ts';

/** "October 2015, Revised to March 2018": both dates and the reason are kept, so slippage is measurable against each. */
export const DeadlineRevisedV1 = z.object({ ref: Ref, from: Due, to: Due, reason: Text, agreedBy: Organisation.optional() }).strict();
export type DeadlineRevised = z.infer<typeof DeadlineRevisedV1>;
