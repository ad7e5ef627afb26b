import { i18nTextSchema, idSchema, languageSchema, listSchema, roleSchema, userIdSchema } from './common.js';
import { groupSchema, userSchema } from './directory-schemas.js';
import { type ApiRoute, obj } from './api-route.js';

/** Users, groups and the directory. */
export const directoryRoutes = [
  {
    id: 'listUsers',
    method: 'get',
    path: '/api/users',
    summary: 'All accounts',
    tag: 'users',
    response: { status: 200, schema: listSchema(userSchema) },
  },
  {
    id: 'createUser',
    method: 'post',
    path: '/api/users',
    summary: 'Create an account',
    tag: 'users',
    body: obj(
      {
        id: userIdSchema,
        name: i18nTextSchema,
        password: { type: 'string', maxLength: 1024 },
        roles: { type: 'array', items: roleSchema, uniqueItems: true, maxItems: 5 },
        groups: { type: 'array', items: idSchema, uniqueItems: true, maxItems: 100 },
        language: languageSchema,
      },
      ['id', 'name', 'password', 'roles', 'groups'],
    ),
    response: { status: 201, schema: userSchema },
  },
  {
    id: 'updateUser',
    method: 'patch',
    path: '/api/users/:id',
    summary: 'Change roles, groups, name, language or deactivate an account',
    tag: 'users',
    params: obj({ id: userIdSchema }, ['id']),
    body: {
      ...obj({
        name: i18nTextSchema,
        roles: { type: 'array', items: roleSchema, uniqueItems: true, maxItems: 5 },
        groups: { type: 'array', items: idSchema, uniqueItems: true, maxItems: 100 },
        language: languageSchema,
        active: { type: 'boolean' },
      }),
      minProperties: 1,
    },
    response: { status: 200, schema: userSchema },
  },
  {
    id: 'listGroups',
    method: 'get',
    path: '/api/groups',
    summary: 'Directorates, provincial offices and other groups',
    tag: 'users',
    response: { status: 200, schema: listSchema(groupSchema) },
  },
  {
    id: 'getDirectory',
    method: 'get',
    path: '/api/directory',
    summary:
      'Names for codes, for every signed-in user: display names of accounts, groups, provinces, and the holidays',
    tag: 'users',
    response: {
      status: 200,
      schema: obj(
        {
          users: {
            type: 'array',
            items: obj({ id: userIdSchema, name: i18nTextSchema, active: { type: 'boolean' } }, [
              'id',
              'name',
              'active',
            ]),
          },
          groups: { type: 'array', items: groupSchema },
          provinces: {
            type: 'array',
            items: obj({ code: { type: 'string' }, name: i18nTextSchema }, ['code', 'name']),
          },
          holidays: { type: 'array', items: { type: 'string', format: 'date' } },
        },
        ['users', 'groups', 'provinces', 'holidays'],
      ),
    },
  },
] as const satisfies readonly ApiRoute[];
