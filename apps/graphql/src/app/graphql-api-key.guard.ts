import { type ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import { ApiKeyGuard } from '@bookshop/platform';
import { type GraphqlContext } from './loaders';

/** The platform's API-key guard, reading GraphQL's context: mutations need `Authorization: Bearer <key>`. */
@Injectable()
export class GraphqlApiKeyGuard extends ApiKeyGuard {
  protected override callOf(context: ExecutionContext) {
    if (context.getType<GqlContextType>() !== 'graphql') return super.callOf(context);
    const { authorization, address } =
      GqlExecutionContext.create(context).getContext<GraphqlContext>();
    return { operation: this.operationOf(context), authorization, address };
  }
}
