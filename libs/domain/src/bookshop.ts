import { catalogue, type OperationName, type OperationResult } from './catalogue';
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

  execute<N extends OperationName>(name: N, input: unknown): Promise<OperationResult<N>> {
    const call = async () => {
      const parsed: unknown = parseInput(catalogue[name].input, input);
      return (await this.useCase(name).execute(parsed)) as OperationResult<N>;
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

/** The system clock and random UUIDs: the dependencies a running service uses. */
export const systemClock = { now: () => new Date() };
export const randomIds = { newId: () => crypto.randomUUID() };
