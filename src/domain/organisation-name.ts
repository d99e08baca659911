import { z } from 'zod';
import { couldBeRecordedName, NO_CONTROL_CHARACTERS } from './plan/texts.ts';

/**
 * An organisation's name as a reader asks for one (the API's `/organisations/:org` and
 * `organisation=`, the CLI's views): no recorded name holds a C0 control character (texts.ts), so
 * one that does names no organisation and is refused as such, not looked for.
 */
export const OrganisationName = z.string().trim().min(1).max(300).refine(couldBeRecordedName, NO_CONTROL_CHARACTERS);

/** The same test for any name a reader sends, for the read models, which see the domain's vocabulary but not src/domain/plan. */
export { couldBeRecordedName };
