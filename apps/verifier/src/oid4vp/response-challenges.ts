import { ChallengeStore, type ChallengeUse } from '../presentations/challenge-store.js';

/**
 * The challenge store as the presentations of one OpenID4VP response see it. Every presentation of a response signs
 * the request's one nonce; the first whose holder signature verified consumes it in the database (single use across
 * verifier processes and endpoints: a presentation replayed to `POST /presentations/verify` finds it used), and the
 * others of the same response get that same answer instead of "used". Make one per response, never share it.
 */
export class ResponseChallenges extends ChallengeStore {
  private readonly uses = new Map<string, Promise<ChallengeUse>>();

  override consume(challenge: string): Promise<ChallengeUse> {
    let use = this.uses.get(challenge);
    if (use === undefined) {
      use = super.consume(challenge);
      this.uses.set(challenge, use);
    }
    return use;
  }
}
