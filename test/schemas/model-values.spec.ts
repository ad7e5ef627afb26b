import { expect } from 'chai';
import { isExpression, splitList } from '../../schemas/model-values.js';

describe('schemas/model-values', () => {
  it('should split a list of the model on commas and spaces', () => {
    // when
    const list = splitList(' plan-policy, legal  deputy,');
    // then
    expect(list).to.deep.equal(['plan-policy', 'legal', 'deputy']);
    expect(splitList(undefined)).to.deep.equal([]);
  });

  it('should tell a value computed at run time from a fixed list', () => {
    // then
    expect(isExpression(' ="province-" + province')).to.equal(true);
    expect(isExpression('${starter}')).to.equal(true);
    expect(isExpression('plan-policy, legal')).to.equal(false);
    expect(isExpression(undefined)).to.equal(false);
  });
});
