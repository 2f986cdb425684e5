import { catalogue, type OperationName, type OperationResult } from './catalogue';
import { DomainError } from './errors';
import { type IdempotencyKey, inputDigest, storedIdempotencyKey } from './idempotency';
import { type Repositories, type Store } from './ports';
import { type UseCase, type UseCaseDependencies } from './use-cases/use-case';
import { parseInput } from './validation';

/**
 * Wraps each operation call from the outside, so that spans and metrics see
 * every call under the catalogue's name without the domain knowing of them.
 * `call` validates the input and runs the use case; whatever it throws, the
 * observer rethrows.
 */
export interface OperationObserver {
  observe<T>(operation: OperationName, call: () => Promise<T>): Promise<T>;
}

export interface BookshopDependencies extends UseCaseDependencies {
  /** Watches every operation call (telemetry); absent, calls run as they are. */
  observer?: OperationObserver;
}

/**
 * The one entry point every adapter calls: validate the raw input with the
 * operation's schema, then run its use case. Authentication is the adapter's
 * job (it knows the protocol's credentials); `catalogue[name].writes` says
 * when it is needed.
 */
export class Bookshop {
  private readonly useCases = new Map<OperationName, UseCase<unknown, unknown>>();

  constructor(private readonly deps: BookshopDependencies) {}

  execute<N extends OperationName>(
    name: N,
    input: unknown,
    idempotency?: IdempotencyKey,
  ): Promise<OperationResult<N>> {
    if (idempotency !== undefined) {
      return this.executeOnce(name, input, idempotency).then(({ result }) => result);
    }
    const call = async () => {
      const parsed: unknown = parseInput(catalogue[name].input, input);
      return (await this.useCase(name).execute(parsed)) as OperationResult<N>;
    };
    return this.deps.observer ? this.deps.observer.observe(name, call) : call();
  }

  /**
   * Runs a write at most once per idempotency key (CONTRACT.md, "Safe
   * retries"). The key is claimed, the write runs and its result is recorded
   * in one transaction; a repeat with the same operation and input gets the
   * recorded result (`replayed`), and changes nothing; the key with another
   * operation or input fails with CONFLICT. A repeat that arrives while the
   * first is still running waits for it. A write that fails records nothing,
   * so it may be retried with the same key. A read ignores the key.
   */
  executeOnce<N extends OperationName>(
    name: N,
    input: unknown,
    idempotency: IdempotencyKey | undefined,
  ): Promise<Outcome<OperationResult<N>>> {
    const call = async (): Promise<Outcome<OperationResult<N>>> => {
      const parsed: unknown = parseInput(catalogue[name].input, input);
      if (idempotency === undefined || !catalogue[name].writes) {
        return {
          result: (await this.useCase(name).execute(parsed)) as OperationResult<N>,
          replayed: false,
        };
      }
      const key = storedIdempotencyKey(idempotency);
      const claim = {
        owner: idempotency.owner,
        key,
        operation: name,
        inputHash: await inputDigest(parsed),
        at: this.deps.clock.now().toISOString(),
      };
      return this.deps.store.transaction(async (repositories) => {
        const recorded = await repositories.idempotencyKeys.claim(claim);
        if (recorded) {
          if (recorded.operation !== claim.operation || recorded.inputHash !== claim.inputHash) {
            throw DomainError.conflict(
              'This idempotency key was used for another request; use a new key for a new write',
              [
                {
                  path: 'idempotencyKey',
                  message:
                    recorded.operation === claim.operation
                      ? `was used for ${name} with another input`
                      : `was used for ${recorded.operation}`,
                },
              ],
            );
          }
          return { result: recorded.result as OperationResult<N>, replayed: true };
        }
        // The use case's own unit of work is this transaction, so the record commits with it.
        const result = (await catalogue[name]
          .useCase({ ...this.deps, store: within(repositories) })
          .execute(parsed as never)) as OperationResult<N>;
        await repositories.idempotencyKeys.record(claim.owner, key, result);
        return { result, replayed: false };
      });
    };
    return this.deps.observer ? this.deps.observer.observe(name, call) : call();
  }

  private useCase(name: OperationName): UseCase<unknown, unknown> {
    let useCase = this.useCases.get(name);
    if (!useCase) {
      useCase = catalogue[name].useCase(this.deps);
      this.useCases.set(name, useCase);
    }
    return useCase;
  }
}

/** A call's result, and whether it is a recorded one given again for a repeated idempotency key. */
export interface Outcome<T> {
  result: T;
  replayed: boolean;
}

/** A store whose every unit of work is the transaction already open. */
function within(repositories: Repositories): Store {
  return {
    read: (work) => work(repositories),
    transaction: (work) => work(repositories),
  };
}

/** The system clock and random UUIDs: the dependencies a running service uses. */
export const systemClock = { now: () => new Date() };
export const randomIds = { newId: () => crypto.randomUUID() };
