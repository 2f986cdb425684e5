import { catalogue, type OperationName, type OperationResult } from './catalogue';
import { type UseCase, type UseCaseDependencies } from './use-cases/use-case';
import { parseInput } from './validation';

/**
 * The one entry point every adapter calls: validate the raw input with the
 * operation's schema, then run its use case. Authentication is the adapter's
 * job (it knows the protocol's credentials); `catalogue[name].writes` says
 * when it is needed.
 */
export class Bookshop {
  private readonly useCases = new Map<OperationName, UseCase<unknown, unknown>>();

  constructor(private readonly deps: UseCaseDependencies) {}

  async execute<N extends OperationName>(name: N, input: unknown): Promise<OperationResult<N>> {
    const parsed: unknown = parseInput(catalogue[name].input, input);
    return (await this.useCase(name).execute(parsed)) as OperationResult<N>;
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
