/** Errors the integrity services raise for bad requests; the HTTP layer maps them to problems. */
export class UnknownEvent extends Error {
  constructor(readonly eventId: string) {
    super(`no event ${eventId} in the ledger`);
  }
}

/** A proof asked for with a parameter that cannot be satisfied; names the parameter. */
export class BadProofRequest extends Error {
  constructor(
    readonly parameter: string,
    detail: string,
  ) {
    super(detail);
  }
}

export class NoCheckpoint extends Error {
  constructor() {
    super('the ledger has no signed checkpoint yet');
  }
}

export class UnknownPlan extends Error {
  constructor(readonly planId: string) {
    super(`no plan ${planId} in the ledger`);
  }
}

/**
 * The ledger will not sign: its tree does not extend the checkpoint kept outside the database,
 * so signing now would endorse rewritten or truncated history. Says what disagrees.
 */
export class CheckpointRefused extends Error {}
