import 'reflect-metadata';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants.js';
import { describe, expect, it } from 'vitest';
import { AcceptsFormBody, FORM_BODY_ROUTE } from './form-body.js';
import { RATE_LIMITED_ROUTE, RateLimited } from './rate-limit.js';

describe('route config markers', () => {
  it('keep each other on one route, in either order (a rate-limited wallet response that takes a form body)', () => {
    class Routes {
      @RateLimited()
      @AcceptsFormBody()
      response(): void {}

      @AcceptsFormBody()
      @RateLimited()
      token(): void {}

      @RateLimited()
      plain(): void {}
    }
    const config = (name: 'response' | 'token' | 'plain') => Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, Routes.prototype[name]) as Record<string, unknown>;
    expect(config('response')).toEqual({ [RATE_LIMITED_ROUTE]: true, [FORM_BODY_ROUTE]: true });
    expect(config('token')).toEqual({ [RATE_LIMITED_ROUTE]: true, [FORM_BODY_ROUTE]: true });
    expect(config('plain')).toEqual({ [RATE_LIMITED_ROUTE]: true });
  });
});
