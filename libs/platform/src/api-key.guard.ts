import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  catalogue,
  DomainError,
  isDomainError,
  isOperationName,
  type OperationName,
} from '@bookshop/domain';
import { ApiKeys, bearerToken } from './api-keys';
import { RateLimits } from './rate-limits';
import { Telemetry } from './telemetry';

const OPERATION = 'bookshop:operation';

/** Marks a handler as serving one catalogue operation; the guard asks the catalogue whether it writes. */
export const ServesOperation = (name: OperationName) => SetMetadata(OPERATION, name);

/** A handler method and the operation it declared with @ServesOperation. */
export interface ServedOperation {
  operation: OperationName;
  owner: string;
  handler: (...args: never[]) => unknown;
}

/**
 * The handlers of these classes that serve an operation, so that a test can
 * hold an app's binding table to them (every operation served exactly once).
 */
export function servedOperations(
  classes: readonly (abstract new (...args: never[]) => unknown)[],
): ServedOperation[] {
  return classes.flatMap((owner) => {
    const prototype = owner.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype).flatMap((key) => {
      const handler = prototype[key];
      if (key === 'constructor' || typeof handler !== 'function') return [];
      const operation = Reflect.getMetadata(OPERATION, handler) as OperationName | undefined;
      return operation
        ? [
            {
              operation,
              owner: `${owner.name}.${key}`,
              handler: handler as ServedOperation['handler'],
            },
          ]
        : [];
    });
  });
}

/**
 * What a call through a non-HTTP transport hands the guard: in an `rpc`
 * execution context the data names the operation and the context carries
 * the credentials the transport received.
 */
export interface OperationCall {
  operation: string;
}
export interface CallCredentials {
  /** An `Authorization` header, as HTTP transports receive it. */
  authorization?: string;
  /** A key the transport received its own way (SOAP: a WS-Security UsernameToken's Password). */
  apiKey?: string;
  /** The client's address, which read and failed-authentication limits count by. */
  address?: string;
}

/** What the guard needs to know of one call, whatever carried it. */
export interface GuardedCall {
  operation: unknown;
  authorization?: string | string[];
  apiKey?: string;
  address?: string;
}

/**
 * Reads are public; an operation that writes needs `Authorization: Bearer
 * <key>` (CONTRACT.md, "Credentials"). On HTTP the handler names its
 * operation with @ServesOperation; in an `rpc` context the call does. Every
 * call also passes the shared rate limits: reads by client address, writes
 * by API key, and failed authentications by address with a tighter limit.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  /** How a client of this transport sends its key; the UNAUTHENTICATED message names it. */
  protected readonly keyHint: string = 'Authorization: Bearer <key>';

  constructor(
    protected readonly reflector: Reflector,
    protected readonly keys: ApiKeys,
    protected readonly limits: RateLimits,
    protected readonly telemetry: Telemetry,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const call = this.callOf(context);
    const { operation } = call;
    if (!isOperationName(operation)) return true;
    try {
      return await this.admit(operation, call);
    } catch (error) {
      // Refused before it ran: counted and logged like any call, with its code.
      if (isDomainError(error)) this.telemetry.refused(operation, error.code);
      throw error;
    }
  }

  private async admit(
    operation: OperationName,
    { authorization, apiKey, address = 'unknown' }: GuardedCall,
  ): Promise<boolean> {
    if (!catalogue[operation].writes) {
      await this.limits.read(address);
      return true;
    }
    await this.limits.assertMayAuthenticate(address);
    const key = apiKey ?? bearerToken(authorization);
    if (key !== undefined && this.keys.verify(key)) {
      await this.limits.write(key);
      return true;
    }
    await this.limits.authenticationFailed(address);
    throw new DomainError('UNAUTHENTICATED', `This operation needs an API key: ${this.keyHint}`);
  }

  /** The operation a call serves and the credentials it came with; transports override this. */
  protected callOf(context: ExecutionContext): GuardedCall {
    if (context.getType() === 'rpc') {
      const { authorization, apiKey, address } = context
        .switchToRpc()
        .getContext<CallCredentials>();
      return {
        operation: context.switchToRpc().getData<OperationCall>().operation,
        authorization,
        apiKey,
        address,
      };
    }
    const request = context.switchToHttp().getRequest<{
      headers: Record<string, string | string[] | undefined>;
      ip?: string;
    }>();
    return {
      operation: this.operationOf(context),
      authorization: request.headers['authorization'],
      address: request.ip,
    };
  }

  /** The operation a handler declared with @ServesOperation. */
  protected operationOf(context: ExecutionContext): OperationName | undefined {
    return this.reflector.get<OperationName | undefined>(OPERATION, context.getHandler());
  }
}
