import type { RecordedEvent } from '@kurrent/kurrentdb-client';
import { AliasFile, organisationKey } from '../organisation-directory.ts';
import type { LearnedAliases, LearnedAliasStore } from '../port.ts';
import type { Engine } from '../../store/kurrentdb/engine-client.ts';
import { openMetaStream } from '../../store/kurrentdb/meta-stream.ts';

const TYPE = 'OrganisationsLearned';
/** How often an instance looks for what other instances have learned. */
const FOLLOW_MS = 1000;

type Organisations = AliasFile['organisations'];

const decode = (record: RecordedEvent): Organisations => {
  const parsed = record.type === TYPE ? AliasFile.safeParse(record.data) : undefined;
  if (!parsed?.success) throw new Error(`event ${record.id} in ${record.streamId} is not a learned-organisations event`);
  return parsed.data.organisations;
};

/**
 * What `offered` adds to `known`: organisations not known by any of their names' keys, and
 * aliases an organisation does not have yet. Names match as the directory matches them.
 */
export const whatIsNew = (known: Organisations, offered: Organisations): Organisations => {
  const aliasesOf = new Map<string, Set<string>>();
  for (const org of known) {
    const keys = aliasesOf.get(organisationKey(org.name)) ?? new Set<string>();
    for (const alias of org.aliases) keys.add(organisationKey(alias));
    aliasesOf.set(organisationKey(org.name), keys);
  }
  const added: Organisations = [];
  for (const org of offered) {
    const known = aliasesOf.get(organisationKey(org.name));
    const fresh = org.aliases.filter((alias) => !known?.has(organisationKey(alias)));
    if (known && fresh.length === 0) continue;
    added.push({ name: org.name, aliases: fresh });
    const keys = known ?? new Set<string>();
    for (const alias of fresh) keys.add(organisationKey(alias));
    aliasesOf.set(organisationKey(org.name), keys);
  }
  return added;
};

/**
 * The organisations and aliases the ledger has learned, in the engine, in
 * `ledger-meta:organisation-aliases`: one event per change, holding only what was new, appended
 * with the exact revision it was worked out against, so the same name learned through two
 * instances at once is recorded once. Every instance folds the same events in the same order,
 * so a name means the same through each. Another instance's change is seen within about a
 * second (the stream's tail is read once a second), this instance's own at once.
 */
export const openLearnedAliasStream = async ({ client, address, names }: Engine): Promise<LearnedAliasStore> => {
  const stream = openMetaStream({ client, address, stream: names.organisationAliases, decode });
  let learned: LearnedAliases = { organisations: [] };
  let folded = 0;
  const refresh = async () => {
    await stream.refresh();
    const changes = stream.items();
    if (changes.length === folded) return;
    // A new object only when something changed, so readers rebuild their table only then.
    learned = { organisations: changes.flat() };
    folded = changes.length;
  };
  await refresh();
  let following: Promise<void> | undefined;
  const timer = setInterval(() => {
    // A failed look is tried again a second later; the last good copy serves meanwhile.
    following ??= refresh()
      .catch(() => undefined)
      .finally(() => {
        following = undefined;
      });
  }, FOLLOW_MS);
  timer.unref();

  return {
    location: `${names.organisationAliases} in KurrentDB at ${address}`,
    current: () => learned,
    async learn(organisations) {
      if (organisations.length === 0) return;
      await stream.update((changes) => {
        const added = whatIsNew(changes.flat(), organisations);
        return {
          events:
            added.length === 0
              ? []
              : [
                  {
                    id: crypto.randomUUID(),
                    contentType: 'application/json',
                    type: TYPE,
                    data: { organisations: added },
                    metadata: undefined,
                  },
                ],
          result: undefined,
        };
      });
      await refresh();
    },
    async close() {
      clearInterval(timer);
      await following;
      await stream.whenIdle();
    },
  };
};
