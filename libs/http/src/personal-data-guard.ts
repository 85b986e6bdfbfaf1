import { containsResidentRegistrationNumber, findResidentRegistrationNumbers, pointerForDisplay } from '@citycred/credentials';
import { ErrorCode, problemFor, type ProblemDocument } from '@citycred/errors';
import type { FastifyInstance } from 'fastify';
import { sendProblem } from './problem-filter.js';

/** Where in a request {@link refusePersonalData} found a resident registration number. */
export interface PersonalDataLocation {
  /** The part of the request. */
  readonly in: 'path' | 'query' | 'body';
  /**
   * JSON Pointer (RFC 6901) to the place, never its content: for `body` into the parsed JSON body; for `query`
   * `/<parameter name>`; for `path` `/<index>` of the path segment (`/0` is the first after the leading `/`).
   * `''` means the whole part (a number spread over several segments or parameters). Names pass `nameForDisplay`
   * (`@citycred/credentials`): a property or parameter name that is itself the problem is `[redacted]`, one that is
   * no plausible field name (markup, spaces, more than 64 characters…) `[unnamed]`.
   */
  readonly pointer: string;
}

/** At most this many places are listed in one answer. */
const MAX_LOCATIONS = 20;

/**
 * Refuses, on every route of `fastify` (unknown routes included), any request that carries what looks like a Korean
 * resident registration number — however it is written (full-width or other scripts' digits, any dash or space,
 * invisible characters; see `containsResidentRegistrationNumber` in `@citycred/credentials`) — in its URL path, its
 * query (names and values) or anywhere in its parsed JSON body (every property name and every string or number
 * value, at any depth). The answer is 400 `request.personal-data` problem+json listing where
 * ({@link PersonalDataLocation}), never what: the number reaches no handler, no database and no error detail.
 * The path and query are checked as the request arrives, before any other hook; the body once it is parsed.
 * JWT strings are opaque here (base64url): what they sign is checked by the services that decode them.
 * The work is linear in the size of the request (every string is scanned a bounded number of times, and the
 * detector is linear), so a body at the 1 MiB limit cannot hold the event loop for long.
 * @param fastify - the server, before it starts listening.
 */
export function refusePersonalData(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const locations = urlLocations(request.url);
    if (locations.length === 0) return;
    sendProblem(reply, personalDataProblem(locations));
    return reply;
  });
  fastify.addHook('preValidation', async (request, reply) => {
    if (request.body === undefined) return;
    const findings = findResidentRegistrationNumbers(request.body, { limit: MAX_LOCATIONS });
    if (findings.length === 0) return;
    sendProblem(reply, personalDataProblem(findings.map(({ pointer }) => ({ in: 'body', pointer }))));
    return reply;
  });
}

/**
 * The places in a request target (`/path?query`) that hold a resident registration number, after percent-decoding
 * (and `+` as a space in the query). Whole parts are checked too, so a number split over segments is seen.
 * @param url - the request target as received.
 * @returns the locations, empty when the URL is clean.
 */
export function urlLocations(url: string): PersonalDataLocation[] {
  const queryAt = url.indexOf('?');
  const path = (queryAt < 0 ? url : url.slice(0, queryAt)).split('#', 1)[0]!;
  const query = queryAt < 0 ? '' : url.slice(queryAt + 1).split('#', 1)[0]!;
  const locations: PersonalDataLocation[] = [];

  const segments = path.split('/').slice(1).map(lenientDecode);
  segments.forEach((segment, index) => {
    if (containsResidentRegistrationNumber(segment)) locations.push({ in: 'path', pointer: `/${index}` });
  });
  if (locations.length === 0 && (containsResidentRegistrationNumber(path) || containsResidentRegistrationNumber(segments.join('/')))) {
    locations.push({ in: 'path', pointer: '' });
  }

  const before = locations.length;
  const parameters = [...new URLSearchParams(query)];
  for (const [name, value] of parameters) {
    if (containsResidentRegistrationNumber(name) || containsResidentRegistrationNumber(value)) {
      locations.push({ in: 'query', pointer: pointerForDisplay([name]) });
    }
  }
  if (locations.length === before && (containsResidentRegistrationNumber(query) || containsResidentRegistrationNumber(parameters.flat().join('&')))) {
    locations.push({ in: 'query', pointer: '' });
  }
  return locations.slice(0, MAX_LOCATIONS);
}

const UTF8 = new TextDecoder('utf-8');

/** Percent-decodes as UTF-8; bytes that are not UTF-8 become U+FFFD (a separator to the detector), never an error. */
function lenientDecode(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (escapes) => UTF8.decode(Uint8Array.from(escapes.slice(1).split('%'), (hex) => Number.parseInt(hex, 16))));
}

function personalDataProblem(locations: readonly PersonalDataLocation[]): ProblemDocument {
  return problemFor(
    ErrorCode.RequestPersonalData,
    'The request carries what looks like a resident registration number, which CityCred never accepts: remove it. ' +
      '"errors" says where; what was there is not repeated.',
    { errors: locations },
  );
}
