import { describe, expect, it } from 'vitest';
import { hashOf, routeOf, type Route } from './routes.js';

describe("the employer console's fragment routes", () => {
  it.each<[string, Route]>([
    ['', { name: 'list' }],
    ['#', { name: 'list' }],
    ['#/', { name: 'list' }],
    ['#/new', { name: 'new' }],
    ['#/workplace', { name: 'workplace' }],
    ['#workplace', { name: 'workplace' }],
    ['#/contracts/c-1', { name: 'contract', id: 'c-1' }],
    ['#/contracts/urn%3Auuid%3Aab', { name: 'contract', id: 'urn:uuid:ab' }],
    ['#/contracts/c-1/revise', { name: 'revise', id: 'c-1' }],
  ])('reads %s', (hash, route) => {
    expect(routeOf(hash)).toEqual(route);
  });

  it.each(['#/nothing', '#/contracts', '#/contracts/c-1/other', '#/contracts/%E0%A4%A', '#/new/extra'])('sends %s (unknown or malformed) to the contract list', (hash) => {
    expect(routeOf(hash)).toEqual({ name: 'list' });
  });

  it('writes every route back to a fragment that reads the same', () => {
    const routes: Route[] = [{ name: 'list' }, { name: 'new' }, { name: 'workplace' }, { name: 'contract', id: 'urn:uuid:1/2' }, { name: 'revise', id: 'a b' }];
    for (const route of routes) expect(routeOf(hashOf(route))).toEqual(route);
    expect(hashOf({ name: 'workplace' })).toBe('#/workplace');
  });
});
