import type { DcqlQuery } from './dcql.js';

/** One presentation of a response, with the credential query it answers. */
export interface ResponsePresentation {
  readonly queryId: string;
  readonly presentation: string;
}

/** What reading a `vp_token` found: the presentations, or why it is not one for this query. */
export type VpTokenReading = { readonly ok: true; readonly presentations: readonly ResponsePresentation[] } | { readonly ok: false; readonly description: string };

/** Most presentations one response may carry, as for `POST /presentations/verify`'s credentials. */
export const MAX_PRESENTATIONS = 16;

/**
 * Reads the `vp_token` parameter of a `direct_post` response (OpenID4VP 1.0 §8.1): a JSON object whose keys are the
 * ids of the DCQL credential queries and whose values are arrays of presentations (strings: an SD-JWT with its
 * key-binding JWT, or a JWT VP). Every credential query of `query` must be answered (CityCred queries have no
 * `credential_sets`), by one presentation unless it allows `multiple`; no other key may appear. Never throws.
 * @param raw - the form parameter as parsed (a string; an array when it was sent more than once)
 */
export function readVpToken(raw: unknown, query: DcqlQuery): VpTokenReading {
  if (raw === undefined) return refused('vp_token is missing');
  if (typeof raw !== 'string') return refused('vp_token must be sent once');
  let token: unknown;
  try {
    token = JSON.parse(raw);
  } catch {
    return refused('vp_token is not JSON');
  }
  return readVpTokenObject(token, query);
}

/**
 * Reads a `vp_token` that is already JSON — the member of a decrypted `direct_post.jwt` response (OpenID4VP 1.0
 * §8.3) — by the rules of {@link readVpToken}. Never throws.
 * @param token - the parsed value
 */
export function readVpTokenObject(token: unknown, query: DcqlQuery): VpTokenReading {
  if (token === undefined) return refused('vp_token is missing');
  if (token === null || typeof token !== 'object' || Array.isArray(token)) return refused('vp_token must be a JSON object keyed by credential query id');
  const answers = token as Record<string, unknown>;
  const ids = new Set(query.credentials.map((credential) => credential.id));
  const unknown = Object.keys(answers).find((key) => !ids.has(key));
  if (unknown !== undefined) return refused('vp_token answers a credential query the request did not make');
  const presentations: ResponsePresentation[] = [];
  for (const credential of query.credentials) {
    const answer = answers[credential.id];
    if (answer === undefined) return refused(`vp_token does not answer the credential query ${credential.id}`);
    if (!Array.isArray(answer) || answer.length === 0) return refused(`vp_token.${credential.id} must be a non-empty array of presentations`);
    if (answer.length > 1 && credential.multiple !== true) return refused(`vp_token.${credential.id} must hold one presentation (the query does not allow multiple)`);
    for (const presentation of answer) {
      if (typeof presentation !== 'string' || presentation.trim() === '') return refused(`vp_token.${credential.id} must hold presentations as strings`);
      presentations.push({ queryId: credential.id, presentation });
    }
  }
  if (presentations.length > MAX_PRESENTATIONS) return refused(`vp_token carries more than ${MAX_PRESENTATIONS} presentations`);
  return { ok: true, presentations };
}

function refused(description: string): VpTokenReading {
  return { ok: false, description };
}
