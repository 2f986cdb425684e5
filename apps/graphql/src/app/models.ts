import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar, JsonScalar } from './scalars';

/*
 * The schema of CONTRACT.md, code-first. Field types are spelt out wherever
 * TypeScript's would be ambiguous (ids, integers, nullables); schema.spec.ts
 * holds the printed schema to the contract's SDL.
 */

export enum OrderStatus {
  PLACED = 'PLACED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(OrderStatus, { name: 'OrderStatus' });

@ObjectType('Author')
export class AuthorModel {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) bio!: string | null;
  @Field(() => DateTimeScalar) createdAt!: string;
}

@ObjectType('Book')
export class BookModel {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => ID) authorId!: string;
  @Field(() => String) isbn!: string;
  @Field(() => Int) priceCents!: number;
  @Field(() => Int) stock!: number;
  @Field(() => Int) version!: number;
  @Field(() => DateTimeScalar) createdAt!: string;
  @Field(() => DateTimeScalar) updatedAt!: string;
}

@ObjectType('OrderLine')
export class OrderLineModel {
  @Field(() => ID) bookId!: string;
  @Field(() => Int) quantity!: number;
  @Field(() => Int) unitPriceCents!: number;
}

@ObjectType('Order')
export class OrderModel {
  @Field(() => ID) id!: string;
  @Field(() => OrderStatus) status!: OrderStatus;
  @Field(() => [OrderLineModel]) lines!: OrderLineModel[];
  @Field(() => Int) totalCents!: number;
  @Field(() => DateTimeScalar) createdAt!: string;
}

@ObjectType('PageInfo')
export class PageInfoModel {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType('AuthorEdge')
export class AuthorEdgeModel {
  @Field(() => String) cursor!: string;
  @Field(() => AuthorModel) node!: AuthorModel;
}

@ObjectType('AuthorConnection')
export class AuthorConnectionModel {
  @Field(() => [AuthorEdgeModel]) edges!: AuthorEdgeModel[];
  @Field(() => PageInfoModel) pageInfo!: PageInfoModel;
}

@ObjectType('BookEdge')
export class BookEdgeModel {
  @Field(() => String) cursor!: string;
  @Field(() => BookModel) node!: BookModel;
}

@ObjectType('BookConnection')
export class BookConnectionModel {
  @Field(() => [BookEdgeModel]) edges!: BookEdgeModel[];
  @Field(() => PageInfoModel) pageInfo!: PageInfoModel;
}

@ObjectType('Event')
export class EventModel {
  @Field(() => Int) seq!: number;
  @Field(() => String) type!: string;
  @Field(() => DateTimeScalar) occurredAt!: string;
  @Field(() => JsonScalar) data!: unknown;
}

@InputType('CreateAuthorInput')
export class CreateAuthorInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) bio?: string | null;
}

@InputType('CreateBookInput')
export class CreateBookInput {
  @Field(() => String) title!: string;
  @Field(() => ID) authorId!: string;
  @Field(() => String) isbn!: string;
  @Field(() => Int) priceCents!: number;
  @Field(() => Int, { nullable: true }) stock?: number | null;
}

@InputType('UpdateBookInput')
export class UpdateBookInput {
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => ID, { nullable: true }) authorId?: string | null;
  @Field(() => String, { nullable: true }) isbn?: string | null;
  @Field(() => Int, { nullable: true }) priceCents?: number | null;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
}

@InputType('BookFilter')
export class BookFilter {
  @Field(() => ID, { nullable: true }) authorId?: string | null;
  @Field(() => String, { nullable: true }) q?: string | null;
}

@InputType('OrderLineInput')
export class OrderLineInput {
  @Field(() => ID) bookId!: string;
  @Field(() => Int) quantity!: number;
}

@InputType('PlaceOrderInput')
export class PlaceOrderInput {
  @Field(() => [OrderLineInput]) lines!: OrderLineInput[];
}

/** `first` and `after` of every connection field. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}
