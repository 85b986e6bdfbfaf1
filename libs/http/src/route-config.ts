import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants.js';

/**
 * Adds members to a route's Fastify `config`, keeping those other decorators set: Nest's own `RouteConfig` replaces
 * the whole object, so with two of our markers on one route (a rate-limited wallet response that takes a form body)
 * only the one applied last would count.
 * @param members - the members to add
 */
export function AddRouteConfig(members: Readonly<Record<string, unknown>>): MethodDecorator {
  return (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    const current = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as Record<string, unknown> | undefined) ?? {};
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...current, ...members }, handler);
    return descriptor;
  };
}
