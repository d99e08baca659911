import { InvalidArgumentError } from 'commander';

/**
 * An option's parser that refuses it given twice: commander keeps the last of several values
 * silently, so `--as-of 2019 --as-of 2020` read as 2020 with no word. The API refuses a repeated
 * query parameter ("must be given once"); the CLI says the same.
 */
export const givenOnce = (value: string, previous: string | undefined): string => {
  if (previous !== undefined) throw new InvalidArgumentError(`must be given once (given "${previous}" and "${value}")`);
  return value;
};
