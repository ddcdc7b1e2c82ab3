// The one custom-function wrapper (D3, D7): every public function except users.getCurrentUser is
// built with authedQuery / authedMutation, which resolve the caller once, refuse anonymous callers
// and deactivated users, and hand the handler `ctx.user`. Access to a particular record is then
// decided by model/access.ts. (convex-helpers' customQuery does the same; it is only a transitive
// dependency here, so this small wrapper over the generated builders stands in for it.)
import type { RegisteredMutation, RegisteredQuery } from "convex/server";
import type { ObjectType, PropertyValidators, Validator } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import { mutation, query, type MutationCtx, type QueryCtx } from "../_generated/server";
import { requireActiveUser } from "../model/currentUser";

export type AuthedQueryCtx = QueryCtx & { user: Doc<"users"> };
export type AuthedMutationCtx = MutationCtx & { user: Doc<"users"> };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ReturnsValidator = Validator<any, "required", any>;

interface AuthedDefinition<Ctx, Args extends PropertyValidators, Result> {
  args: Args;
  returns?: ReturnsValidator;
  handler: (ctx: Ctx, args: ObjectType<Args>) => Promise<Result>;
}

export function authedQuery<Args extends PropertyValidators, Result>(
  definition: AuthedDefinition<AuthedQueryCtx, Args, Result>,
): RegisteredQuery<"public", ObjectType<Args>, Promise<Result>> {
  const registered = query({
    args: definition.args,
    ...(definition.returns ? { returns: definition.returns } : {}),
    handler: async (ctx: QueryCtx, args: ObjectType<Args>) => {
      const user = await requireActiveUser(ctx);
      return await definition.handler({ ...ctx, user }, args);
    },
  });
  return registered as unknown as RegisteredQuery<"public", ObjectType<Args>, Promise<Result>>;
}

export function authedMutation<Args extends PropertyValidators, Result>(
  definition: AuthedDefinition<AuthedMutationCtx, Args, Result>,
): RegisteredMutation<"public", ObjectType<Args>, Promise<Result>> {
  const registered = mutation({
    args: definition.args,
    ...(definition.returns ? { returns: definition.returns } : {}),
    handler: async (ctx: MutationCtx, args: ObjectType<Args>) => {
      const user = await requireActiveUser(ctx);
      return await definition.handler({ ...ctx, user }, args);
    },
  });
  return registered as unknown as RegisteredMutation<
    "public",
    ObjectType<Args>,
    Promise<Result>
  >;
}
