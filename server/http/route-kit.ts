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
import { AppError, isAppError } from '../app-error.js';
import {
  CSRF_COOKIE,
  CSRF_HEADER,
  SESSION_COOKIE,
  type AuthService,
  type Principal,
} from '../auth/auth-service.js';
import type { ApiRoute } from '../../schemas/api/routes.js';
import { LoginThrottle } from '../auth/login-throttle.js';
import { uploadFieldsSchema } from '../../schemas/api/document-routes.js';
import { accessMatrix, mayCall } from '../policy/access-matrix.js';
import { assertBodyDepth } from './body-depth.js';
import { compileValidator } from './validation.js';

/** A JSON deployment body (`{ xml, forms }`), checked for its shape; undefined for any other body. */
export function bpmnWithForms(
  body: unknown,
): { xml: string; forms: Record<string, Record<string, unknown>> } | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const { xml, forms, ...rest } = body as Record<string, unknown>;
  const bad = (path: string, message: string) =>
    new AppError('RV_ERR_VALIDATION', { errors: [{ in: 'body', path, keyword: 'type', message }] });
  if (Object.keys(rest).length) throw bad(`/${Object.keys(rest)[0]}`, 'only `xml` and `forms` are allowed');
  if (typeof xml !== 'string') throw bad('/xml', 'must be the BPMN XML text');
  if (forms !== undefined && (!forms || typeof forms !== 'object' || Array.isArray(forms)))
    throw bad('/forms', 'must be an object of form key → JSON Schema');
  for (const [key, schema] of Object.entries((forms ?? {}) as object))
    if (!schema || typeof schema !== 'object' || Array.isArray(schema))
      throw bad(`/forms/${key}`, 'must be an object');
  return { xml, forms: (forms ?? {}) as Record<string, Record<string, unknown>> };
}

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
  /** Growing delay per account after `loginRateLimit.limit` failures: first `baseMs`, doubling, at most `maxMs`. */
  loginDelay: { baseMs: number; maxMs: number };
  /** Document upload limit in bytes (default 25 MiB). */
  documentLimitBytes?: number;
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
  // a deployment with its forms: `{ xml, forms: { <formKey>: <JSON Schema> } }`
  const bpmnJson = express.json({
    limit: options.bpmnLimitBytes * 2,
    strict: true,
    type: 'application/json',
    reviver: (key, value: unknown) => {
      if (key === '__proto__') throw new SyntaxError('__proto__ is not allowed');
      return value;
    },
  });
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: options.bpmnLimitBytes, files: 1, fields: 0 },
  }).single('file');
  const documentLimit = options.documentLimitBytes ?? 25 * 1024 * 1024;
  const documentUpload = multer({
    storage: multer.memoryStorage(),
    // the client's name as sent (UTF-8, path kept): a `../` name is refused, not silently cut
    preservePath: true,
    defParamCharset: 'utf8',
    limits: { fileSize: documentLimit, files: 1, fields: 5, fieldSize: 4096, parts: 6 },
  }).single('file');
  // per account, whatever the address: rotating X-Forwarded-For does not help, and growing delays slow a guesser
  // without locking the real user out (the right password works once the delay has passed)
  const loginThrottle = new LoginThrottle({
    freeFailures: options.loginRateLimit.limit,
    baseDelayMs: options.loginDelay.baseMs,
    maxDelayMs: options.loginDelay.maxMs,
    forgetAfterMs: options.loginRateLimit.windowMs,
  });
  const accountOf = (body: unknown): string => {
    const username = (body as { username?: unknown } | undefined)?.username;
    return typeof username === 'string' ? username.slice(0, 200) : '';
  };
  const loginAccountThrottle: RequestHandler = (req, res, next) => {
    try {
      loginThrottle.check(accountOf(req.body));
    } catch (err) {
      const wait = ((err as AppError).details as { retryAfterMs: number }).retryAfterMs;
      res.set('Retry-After', String(Math.ceil(wait / 1000)));
      throw err;
    }
    next();
  };
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

  const checkUploadFields = compileValidator('body', uploadFieldsSchema);

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
      if (access !== 'public' && !mayCall(route.id, principal?.actor.roles ?? []))
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
        if (req.is('application/json')) return bpmnJson(req, res, next);
        next(new AppError('RV_ERR_UNSUPPORTED_MEDIA_TYPE'));
      });
    } else if (route.bodyKind === 'document') {
      chain.push((req, res, next) => {
        if (!req.is('multipart/form-data')) return next(new AppError('RV_ERR_UNSUPPORTED_MEDIA_TYPE'));
        documentUpload(req, res, (err?: unknown) => {
          if ((err as { code?: string } | undefined)?.code === 'LIMIT_FILE_SIZE')
            return next(new AppError('RV_ERR_DOCUMENT_TOO_LARGE', { maxBytes: documentLimit }));
          next(err);
        });
      });
    } else if (UNSAFE.has(route.method.toUpperCase())) {
      chain.push((req, res, next) => {
        const hasBody =
          Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
        if (hasBody && !req.is('application/json'))
          return next(new AppError('RV_ERR_UNSUPPORTED_MEDIA_TYPE'));
        json(req, res, next);
      });
      if (route.id === 'login') chain.push(loginAddressLimiter, loginAccountThrottle);
    }

    chain.push(async (req, res) => {
      const { params, query } = (req as unknown as { checked: { params: object; query: object } }).checked;
      let body: unknown = req.body;
      if (route.bodyKind === 'bpmn') {
        const file = (req as { file?: { buffer: Buffer } }).file;
        const carried = !file && req.is('application/json') ? bpmnWithForms(req.body) : undefined;
        body = file
          ? file.buffer.toString('utf8')
          : typeof req.body === 'string'
            ? req.body
            : (carried?.xml ?? '');
        if (carried && (body as string).trim()) body = carried;
        else if (!(body as string).trim()) {
          throw new AppError('RV_ERR_VALIDATION', {
            errors: [
              { in: 'body', path: '', keyword: 'required', message: 'a BPMN XML body or file is required' },
            ],
          });
        }
      } else if (route.bodyKind === 'document') {
        const file = (req as { file?: { buffer: Buffer; originalname: string } }).file;
        const fields: Record<string, unknown> = { ...(req.body as object) };
        checkUploadFields(fields);
        body = { file: file ? { data: file.buffer, name: file.originalname } : undefined, fields };
      } else if (checkBody) {
        if (body === undefined) body = {};
        assertBodyDepth(body);
        checkBody(body);
      }
      const principal = (req as { principal?: Principal | null }).principal ?? undefined;
      const call = () =>
        handler({ req, res, principal, params, query, body } as RouteContext<Record<string, never>>);
      const result =
        route.id === 'login' ? await throttled(loginThrottle, accountOf(body), call) : await call();
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

/** Runs a sign-in and tells the throttle how it went (only a wrong password or name counts as a failure). */
async function throttled<T>(throttle: LoginThrottle, account: string, signIn: () => Promise<T>): Promise<T> {
  try {
    const result = await signIn();
    throttle.succeeded(account);
    return result;
  } catch (err) {
    if (isAppError(err, 'RV_ERR_BAD_CREDENTIALS')) throttle.failed(account);
    throw err;
  }
}

/** For express 5 async middleware: re-exported so routers do not each import NextFunction types. */
export type { NextFunction };
