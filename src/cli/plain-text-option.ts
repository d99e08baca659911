import { InvalidArgumentError } from 'commander';
import { forbiddenCharacterIn } from '../domain/plan/texts.ts';

/**
 * An option whose text the ledger records (a key's name, a rotation's reason): it keeps the rule
 * for every text the ledger records (src/domain/plan/texts.ts), checked as the command line is
 * read, before anything is written.
 */
export const plainText = (value: string): string => {
  const found = forbiddenCharacterIn(value);
  if (found) throw new InvalidArgumentError(`holds the control character ${found.codePoint}: type it again without it`);
  return value;
};
