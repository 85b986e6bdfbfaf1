import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { normalizeHex32 } from '@citycred/anchoring';
import { AppError, ErrorCode } from '@citycred/errors';
import { RateLimited, type HttpReply } from '@citycred/http';
import { AnchorBatchStore } from './anchor-batch-store.js';

/** Public anchor proofs: anyone holding a credential can prove when it was anchored. */
@Controller('anchors')
export class AnchorProofsController {
  constructor(@Inject(AnchorBatchStore) private readonly store: AnchorBatchStore) {}

  /**
   * `GET /anchors/proofs/{credentialHash}` (hex SHA-256 of the issued bytes, with or without 0x):
   * 200 with the proof once anchored; 202 `{status:"pending"}` with Retry-After before; 404 problem when unknown;
   * 409 problem `anchor.refused` when its batch was set aside (the chain refuses it: it is not pending, and a
   * verifier must not count it as such).
   */
  @Get('proofs/:credentialHash')
  @RateLimited()
  async proof(@Param('credentialHash') raw: string, @Res() reply: HttpReply): Promise<void> {
    let credentialHash: string;
    try {
      credentialHash = normalizeHex32(raw);
    } catch {
      throw new AppError(ErrorCode.AnchorInvalidHash, 'Give the SHA-256 of the credential as 64 hexadecimal characters.');
    }
    const found = await this.store.lookup(credentialHash);
    if (found.state === 'unknown') throw new AppError(ErrorCode.AnchorProofNotFound, 'No credential with this hash was issued by this service.');
    if (found.state === 'refused') {
      throw new AppError(
        ErrorCode.AnchorRefused,
        'The credential was issued here, but the city chain refused to anchor its batch (the reason says why: the issuer is not accredited, or its key is not its identity’s owner); it is set aside and is not pending.',
        { extensions: { reason: found.reason, refusedAt: found.refusedAt } },
      );
    }
    if (found.state === 'pending') {
      void reply.status(202).header('retry-after', '5').header('cache-control', 'no-store').send({ credentialHash, status: 'pending', enqueuedAt: found.enqueuedAt });
      return;
    }
    const { state: _state, ...proof } = found;
    void reply.status(200).header('cache-control', 'public, max-age=60').send({ credentialHash, status: 'anchored', ...proof });
  }
}
