import { Controller, Get, Inject, Query } from '@nestjs/common';
import { RateLimited, refuseQueryParameters } from '@citycred/http';
import { dcqlQueryOf } from '../oid4vp/dcql.js';
import { PolicyRegistry, type ProgramConfig } from '../policies/index.js';
import { DecisionReceipts } from './decision-receipts.js';
import { PROGRAM_CONFIGS } from './programs.module-tokens.js';

/** The benefit programs this verifier decides on, and the key their decision receipts are signed with. */
@Controller('programs')
export class ProgramsController {
  constructor(
    @Inject(PROGRAM_CONFIGS) private readonly programs: readonly ProgramConfig[],
    @Inject(PolicyRegistry) private readonly policies: PolicyRegistry,
    @Inject(DecisionReceipts) private readonly receipts: DecisionReceipts,
  ) {}

  /**
   * `GET /programs` → `{programs: [{id, policy: {id, version}, configVersion, programYear, title, purpose, benefit,
   * criteria, dcqlQuery, page?, pagePath?, eligibility?}]}`: each configured program as its policy decides it, with
   * the DCQL query that asks a wallet for exactly the claims its criteria read; a program with an application page
   * names its slug (`page`) and address (`pagePath`, `/apply/<page>`), and a program that offers an eligibility
   * credential names its issuing tenant and credential type (`eligibility: {tenant, credentialType}`). 400
   * `request.invalid` for a query parameter.
   */
  @Get()
  @RateLimited()
  list(@Query() query: unknown): unknown {
    refuseQueryParameters(query, 'GET /programs');
    return {
      programs: this.programs.map((program) => {
        const policy = this.policies.get(program.id)!;
        return {
          id: program.id,
          policy: { id: policy.id, version: policy.version },
          configVersion: program.configVersion,
          programYear: program.programYear,
          title: program.title,
          purpose: program.purpose,
          benefit: program.benefit,
          criteria: program.criteria,
          dcqlQuery: dcqlQueryOf(policy),
          ...(program.page === undefined ? {} : { page: program.page, pagePath: `/apply/${program.page}` }),
          ...(program.eligibility === undefined ? {} : { eligibility: { tenant: program.eligibility.tenant, credentialType: program.eligibility.credentialType } }),
        };
      }),
    };
  }

  /**
   * `GET /programs/receipt-key` → `{did, kid, jwks: {keys: [jwk]}}`: the verifier's did:jwk and its public key as a
   * JWKS, which decision receipts are verified with (docs/youth-allowance.md#decision-receipts).
   */
  @Get('receipt-key')
  @RateLimited()
  receiptKey(@Query() query: unknown): unknown {
    refuseQueryParameters(query, 'GET /programs/receipt-key');
    const { did, kid, publicJwk } = this.receipts.verificationKey;
    return { did, kid, jwks: { keys: [{ ...publicJwk, kid, alg: 'ES256', use: 'sig' }] } };
  }
}
