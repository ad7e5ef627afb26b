import type { Request, Response } from 'express';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { AppError } from '../app-error.js';
import type { Principal } from '../auth/auth-service.js';
import type { Actor } from '../engine/types.js';
import { accessMatrix } from '../policy/access-matrix.js';
import type { uploadFieldsSchema } from '../../schemas/api/document-routes.js';
import type { TypedApiRoute } from '../../schemas/api/routes.js';
import type { RouteContext, RouteHandler } from './route-kit.js';

/** The id of a route whose schemas are known as literal types. */
export type RouteId = TypedApiRoute['id'];
/** The route with id `Id`. */
export type RouteOf<Id extends RouteId> = Extract<TypedApiRoute, { id: Id }>;

/** A request part checked against `S` (query and path: defaults filled in by the validator, so present). */
type Checked<S, Options extends object = object> = S extends JSONSchema ? FromSchema<S, Options> : unknown;

/** The path parameters of route `R`, as its `params` schema checked them. */
export type ParamsOf<R> = R extends { params: infer S } ? Checked<S> : Record<string, never>;
/** The query of route `R`, as its `query` schema checked it (with its defaults). */
export type QueryOf<R> = R extends { query: infer S } ? Checked<S> : Record<string, never>;
/** A document upload: the file (when one came) and the form fields (`uploadFieldsSchema`). */
export interface DocumentUpload {
  file: { data: Buffer; name: string } | undefined;
  fields: Checked<typeof uploadFieldsSchema>;
}
/** A BPMN route's body: the XML, or JSON `{ xml, forms }` with the forms deployed with it. */
export type BpmnBody = string | { xml: string; forms?: Record<string, Record<string, unknown>> };
/** The body of route `R`: BPMN text, a document upload, or JSON checked by its `body` schema (no defaults). */
export type BodyOf<R> = R extends { bodyKind: 'bpmn' }
  ? BpmnBody
  : R extends { bodyKind: 'document' }
    ? DocumentUpload
    : R extends { body: infer S }
      ? Checked<S, { keepDefaultedPropertiesOptional: true }>
      : unknown;

/** What a handler of route `R` gets: the checked request parts, typed from the route's schemas. */
export interface TypedContext<R> {
  req: Request;
  res: Response;
  params: ParamsOf<R>;
  query: QueryOf<R>;
  body: BodyOf<R>;
}

/** What a handler of a signed-in route gets: also who asks (always there) and their actor. */
export interface SignedInContext<R> extends TypedContext<R> {
  principal: Principal;
  /** `principal.actor`: the id, groups and roles the engine and the policy check. */
  actor: Actor;
}

/** What a handler of a public route gets: who asks, when someone is signed in. */
export interface PublicContext<R> extends TypedContext<R> {
  principal: Principal | undefined;
}

/** A handler's answer: the response body (sent with the route's status), or undefined when it sent itself. */
type Answer = Promise<unknown>;

/**
 * The handler of the signed-in route `id`: params, query and body typed from its schemas, and the principal
 * guaranteed (the route kit answers 401 before; this refuses to bind a route the access matrix makes public).
 */
export function signedIn<Id extends RouteId>(
  id: Id,
  handle: (ctx: SignedInContext<RouteOf<Id>>) => Answer,
): RouteHandler {
  if (accessMatrix[id] === 'public') throw new Error(`route ${id} is public: use publicRoute()`);
  return async (ctx: RouteContext<Record<string, never>>) => {
    const { principal } = ctx;
    if (!principal) throw new AppError('RV_ERR_UNAUTHENTICATED');
    return handle({ ...(ctx as unknown as TypedContext<RouteOf<Id>>), principal, actor: principal.actor });
  };
}

/** The handler of the public route `id` (sign-in, health, OpenAPI): params, query and body typed from its schemas. */
export function publicRoute<Id extends RouteId>(
  id: Id,
  handle: (ctx: PublicContext<RouteOf<Id>>) => Answer,
): RouteHandler {
  if (accessMatrix[id] !== 'public') throw new Error(`route ${id} is not public: use signedIn()`);
  return (ctx: RouteContext<Record<string, never>>) => handle(ctx as unknown as PublicContext<RouteOf<Id>>);
}
