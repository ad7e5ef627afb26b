import { emptyBodySchema, languageSchema } from './common.js';
import { meSchema } from './directory-schemas.js';
import { type ApiRoute, obj } from './api-route.js';

/** Sign-in and the signed-in user. */
export const authRoutes = [
  {
    id: 'login',
    method: 'post',
    path: '/api/auth/login',
    summary: 'Sign in; sets the rv_session and rv_csrf cookies',
    tag: 'auth',
    body: obj(
      {
        username: { type: 'string', minLength: 1, maxLength: 64 },
        password: { type: 'string', maxLength: 1024 },
      },
      ['username', 'password'],
    ),
    response: {
      status: 200,
      schema: {
        type: 'object',
        properties: { user: meSchema, csrfToken: { type: 'string' } },
        required: ['user', 'csrfToken'],
      },
    },
  },
  {
    id: 'logout',
    method: 'post',
    path: '/api/auth/logout',
    summary: 'Sign out (ends this session)',
    tag: 'auth',
    body: emptyBodySchema,
    response: { status: 204 },
  },

  // me
  {
    id: 'getMe',
    method: 'get',
    path: '/api/me',
    summary: 'The signed-in user: profile, roles, groups, language',
    tag: 'me',
    response: { status: 200, schema: meSchema },
  },
  {
    id: 'updateMe',
    method: 'patch',
    path: '/api/me',
    summary: 'Change the language preference',
    tag: 'me',
    body: obj({ language: languageSchema }, ['language']),
    response: { status: 200, schema: meSchema },
  },
  {
    id: 'changePassword',
    method: 'post',
    path: '/api/me/password',
    summary: 'Change the password (other sessions end)',
    tag: 'me',
    body: obj(
      {
        currentPassword: { type: 'string', maxLength: 1024 },
        newPassword: { type: 'string', maxLength: 1024 },
      },
      ['currentPassword', 'newPassword'],
    ),
    response: { status: 204 },
  },
] as const satisfies readonly ApiRoute[];
