import crypto from 'node:crypto';
import express, {
  Router,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import multer from 'multer';
import { parse as parseCookies } from 'cookie';
import { AppError } from '../app-error.js';
import {
  CSRF_COOKIE,
  CSRF_HEADER,
  SESSION_COOKIE,
  type AuthService,
  type Principal,
} from '../auth/auth-service.js';
import type { ApiRoute } from '../../schemas/api/routes.js';
import { accessMatrix, mayCall } from './access-matrix.js';
import { assertBodyDepth } from './body-depth.js';
import { compileValidator } from './validation.js';

/** What a route handler gets: the validated parts of the request and who asks. */
export interface RouteContext<P = Record<string, unknown>> {
  req: Request;
  res: Response;
  /** Undefined only on public routes. */
  principal: Principal | undefined;
  params: P;
  query: Record<string, unknown>;
  body: unknown;
}

/** A handler returns the response body (sent with the route's status) or sends itself and returns undefined. */
export type RouteHandler = (ctx: RouteContext<Record<string, never>>) => Promise<unknown>;

export interface RouteKitOptions {
  auth: AuthService;
  /** Allowed browser origins (CSRF Origin check). */
  origins: string[];
  /** JSON body limit, e.g. `100kb`. */
  jsonLimit: string;
  /** BPMN upload limit in bytes. */
  bpmnLimitBytes: number;
  loginRateLimit: { windowMs: number; limit: number };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function safeEqual(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

function originOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value).origin;
  } catch {
    return 'invalid';
  }
}

/** The signed-in principal of a request, looked up once and cached on the request. */
export async function principalOf(req: Request, auth: AuthService): Promise<Principal | undefined> {
  const cached = (req as { principal?: Principal | null }).principal;
  if (cached !== undefined) return cached ?? undefined;
  const token = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
  const principal = await auth.authenticate(token);
  (req as { principal?: Principal | null }).principal = principal ?? null;
  return principal;
}

/**
 * Builds the API router from the route contracts: for every route, in this order, sign-in check (401), CSRF
 * check on cookie-authenticated writes (Origin in config.origins plus the double-submit token), the access
 * matrix (403), body parsing with size limits, then schema validation of path, query and body (400).
 */
export function buildApiRouter(
  routes: ApiRoute[],
  handlers: Record<string, RouteHandler>,
  options: RouteKitOptions,
): Router {
  const router = Router();
  const json = express.json({
    limit: options.jsonLimit,
    strict: true,
    type: 'application/json',
    // `__proto__` anywhere in a body would reach Object.assign-style merges of variables: refuse it as malformed
    reviver: (key, value: unknown) => {
      if (key === '__proto__') throw new SyntaxError('__proto__ is not allowed');
      return value;
    },
  });
  const xml = express.text({
    limit: options.bpmnLimitBytes,
    type: ['application/xml', 'text/xml', 'application/bpmn+xml', 'application/octet-stream'],
  });
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: options.bpmnLimitBytes, files: 1, fields: 0 },
  }).single('file');
  const loginLimiter = rateLimit({
    windowMs: options.loginRateLimit.windowMs,
    limit: options.loginRateLimit.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    // per address and account name: one busy office behind one NAT address does not lock everyone out
    keyGenerator: (req) => {
      const username = (req.body as { username?: unknown } | undefined)?.username;
      return `${ipKeyGenerator(req.ip ?? '')}|${typeof username === 'string' ? username.toLowerCase() : ''}`;
    },
    handler: (_req, _res, next) => next(new AppError('RV_ERR_RATE_LIMITED')),
  });
  // and per address alone, more loosely: one address trying many account names
  const loginAddressLimiter = rateLimit({
    windowMs: options.loginRateLimit.windowMs,
    limit: options.loginRateLimit.limit * 5,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    handler: (_req, _res, next) => next(new AppError('RV_ERR_RATE_LIMITED')),
  });

  for (const route of routes) {
    const access = accessMatrix[route.id];
    if (access === undefined) throw new Error(`route ${route.id} is missing from the access matrix`);
    const handler = handlers[route.id];
    if (!handler) throw new Error(`route ${route.id} has no handler`);
    const checkParams = route.params ? compileValidator('params', route.params) : undefined;
    const checkQuery = compileValidator(
      'query',
      route.query ?? { type: 'object', additionalProperties: false },
    );
    const checkBody = route.body ? compileValidator('body', route.body) : undefined;

    const chain: RequestHandler[] = [];

    chain.push(async (req, _res, next) => {
      const principal = await principalOf(req, options.auth);
      if (access !== 'public' && !principal) throw new AppError('RV_ERR_UNAUTHENTICATED');
      if (UNSAFE.has(req.method)) {
        const origin = originOf(req.get('origin')) ?? originOf(req.get('referer'));
        // non-browser clients send neither; the token below still has to match
        if (origin !== undefined && !options.origins.includes(origin)) throw new AppError('RV_ERR_CSRF');
        // sign-in itself has no token yet: the Origin check above is its CSRF defence
        if (principal && access !== 'public') {
          const header = req.get(CSRF_HEADER);
          const cookie = parseCookies(req.headers.cookie ?? '')[CSRF_COOKIE];
          if (!safeEqual(header, cookie) || !safeEqual(header, principal.session.csrfToken)) {
            throw new AppError('RV_ERR_CSRF');
          }
        }
      }
      if (access !== 'public' && !mayCall(route.id, principal!.actor.roles))
        throw new AppError('RV_ERR_FORBIDDEN');
      next();
    });

    // path and query before the body: a bad id is refused without reading an upload
    chain.push((req, _res, next) => {
      const params: Record<string, unknown> = { ...req.params };
      const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
      checkParams?.(params);
      checkQuery(query);
      (req as { checked?: object }).checked = { params, query };
      next();
    });

    if (route.bodyKind === 'bpmn') {
      chain.push((req, res, next) => {
        if (req.is('multipart/form-data')) return upload(req, res, next);
        if (req.is(['application/xml', 'text/xml', 'application/bpmn+xml', 'application/octet-stream'])) {
          return xml(req, res, next);
        }
        next(new AppError('RV_ERR_UNSUPPORTED_MEDIA_TYPE'));
      });
    } else if (UNSAFE.has(route.method.toUpperCase())) {
      chain.push((req, res, next) => {
        const hasBody =
          Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
        if (hasBody && !req.is('application/json'))
          return next(new AppError('RV_ERR_UNSUPPORTED_MEDIA_TYPE'));
        json(req, res, next);
      });
      if (route.id === 'login') chain.push(loginAddressLimiter, loginLimiter);
    }

    chain.push(async (req, res) => {
      const { params, query } = (req as unknown as { checked: { params: object; query: object } }).checked;
      let body: unknown = req.body;
      if (route.bodyKind === 'bpmn') {
        const file = (req as { file?: { buffer: Buffer } }).file;
        body = file ? file.buffer.toString('utf8') : typeof req.body === 'string' ? req.body : '';
        if (!(body as string).trim()) {
          throw new AppError('RV_ERR_VALIDATION', {
            errors: [
              { in: 'body', path: '', keyword: 'required', message: 'a BPMN XML body or file is required' },
            ],
          });
        }
      } else if (checkBody) {
        if (body === undefined) body = {};
        assertBodyDepth(body);
        checkBody(body);
      }
      const principal = (req as { principal?: Principal | null }).principal ?? undefined;
      const result = await handler({ req, res, principal, params, query, body } as RouteContext<
        Record<string, never>
      >);
      if (res.headersSent) return;
      if (route.response.status === 204) {
        res.status(204).end();
        return;
      }
      res.status(route.response.status).json(result);
    });

    router[route.method](route.path, ...chain);
  }
  return router;
}

/** For express 5 async middleware: re-exported so routers do not each import NextFunction types. */
export type { NextFunction };
