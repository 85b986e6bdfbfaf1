import { env, platformEnv } from '@citycred/config';
import { z } from 'zod';
import { SITE_SCOPE } from './relying-party.js';

/** The demo site's `client_id` at the verifier's OpenID Provider (config/oidc-clients.json). */
export const FACILITY_DEMO_CLIENT_ID = 'facility-booking-demo';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An https URL, or http on this machine (the provider and site `npm start` runs). */
const localOrHttps = z.url({ protocol: /^https?$/ }).refine((value) => {
  const url = new URL(value);
  return url.protocol === 'https:' || LOOPBACK.has(url.hostname);
}, 'must be https, or http on 127.0.0.1, localhost or [::1]');

/**
 * The demo facility site's environment (docs/oidc-provider.md, "The demo facility site"), parsed once at start-up.
 * `npm start` sets all of it; the client secret is the one the launcher keeps in `var/oidc-clients/` and gives the
 * verifier too.
 */
export const facilityDemoEnv = platformEnv
  .pick({
    HOST: true,
    SHUTDOWN_GRACE_MS: true,
    SHUTDOWN_QUIET_MS: true,
    HTTP_REQUEST_TIMEOUT_MS: true,
    HTTP_HEADERS_TIMEOUT_MS: true,
    HTTP_KEEP_ALIVE_TIMEOUT_MS: true,
    HTTP_MAX_CONNECTIONS: true,
    HTTP_MAX_CONNECTIONS_PER_CLIENT: true,
  })
  .extend({
    FACILITY_PORT: env.port(3004),
    /** The site's own origin (its callback is `<origin>/callback`); default `http://<HOST>:<FACILITY_PORT>`. */
    FACILITY_PUBLIC_URL: localOrHttps
      .refine((value) => new URL(value).pathname === '/' && !new URL(value).search && !new URL(value).hash, 'must be an origin (scheme, host and optional port; no path)')
      .transform((value) => new URL(value).origin)
      .optional(),
    /** The OpenID Provider's issuer: the verifier's public URL and `/oidc`. */
    FACILITY_OIDC_ISSUER: localOrHttps.default('http://127.0.0.1:3002/oidc'),
    FACILITY_OIDC_CLIENT_ID: z.string().min(1).default(FACILITY_DEMO_CLIENT_ID),
    /** The client secret the provider has for the site (`client_secret_basic`). */
    FACILITY_OIDC_CLIENT_SECRET: z.string().regex(/^[\x21-\x7e]{32,256}$/, 'must be 32 to 256 printable characters'),
    FACILITY_OIDC_SCOPE: z.string().default(SITE_SCOPE),
  });
