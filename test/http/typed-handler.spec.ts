import { expect } from 'chai';
import { isAppError } from '../../server/app-error.js';
import type { Principal } from '../../server/auth/auth-service.js';
import type { RouteContext } from '../../server/http/route-kit.js';
import { publicRoute, signedIn } from '../../server/http/typed-handler.js';

/** A route context as the route kit builds it after validation. */
function context(principal: Principal | undefined, params: object = {}, body: unknown = undefined) {
  return { req: {}, res: {}, principal, params, query: {}, body } as unknown as RouteContext<
    Record<string, never>
  >;
}

const alice = {
  user: { id: 'alice' },
  session: { id: 's1' },
  actor: { id: 'alice', groups: ['staff'], roles: ['staff'] },
} as unknown as Principal;

describe('http/typed-handler', () => {
  it('should refuse to bind a public route as signed-in, and a signed-in route as public', () => {
    // given / when / then
    expect(() => signedIn('login', async () => undefined)).to.throw(/public/);
    expect(() => publicRoute('completeTask', async () => undefined)).to.throw(/not public/);
  });

  it('should hand a signed-in handler the principal, its actor and the checked parts', async () => {
    // given
    const handler = signedIn('completeTask', async ({ params, body, actor, principal }) => ({
      id: params.id,
      data: body.data,
      actor: actor.id,
      session: principal.session.id,
    }));
    // when
    const result = await handler(context(alice, { id: 't1' }, { data: { ok: true } }));
    // then
    expect(result).to.deep.equal({ id: 't1', data: { ok: true }, actor: 'alice', session: 's1' });
  });

  it('should answer RV_ERR_UNAUTHENTICATED when a signed-in handler is reached without a principal', async () => {
    // given
    const handler = signedIn('getMe', async () => 'never');
    // when
    const err = await handler(context(undefined)).then(
      () => undefined,
      (e: unknown) => e,
    );
    // then
    expect(isAppError(err, 'RV_ERR_UNAUTHENTICATED')).to.equal(true);
  });
});
