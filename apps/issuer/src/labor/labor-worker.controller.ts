import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { HttpReply } from '@citycred/http';
import { parseRequest } from '../console/parse.js';
import { LaborContracts } from './labor-contracts.js';
import { workerSignatureSchema } from './labor-requests.js';

/**
 * The worker's side of a labour contract (`/labor/contracts/:id?t=`, docs/labor.md): the contract's token (in the
 * link the employer gave) reads it; the worker's wallet signature is the only write. A wrong id or token is 404
 * `labor.contract-not-found` alike. Answers are never cached (they carry the worker's name and the offers).
 */
@Controller('labor/contracts')
export class LaborWorkerController {
  constructor(@Inject(LaborContracts) private readonly contracts: LaborContracts) {}

  /** `GET /labor/contracts/:id?t=` → the worker's view. */
  @Get(':id')
  async review(@Param('id') id: string, @Query('t') token: string | undefined, @Res() reply: HttpReply): Promise<void> {
    const view = await this.contracts.review(id, token);
    void reply.status(200).header('cache-control', 'no-store').send(view);
  }

  /** `POST /labor/contracts/:id/worker-signature?t=` `{jws}` → 200 the worker's view (`awaiting-employer`). */
  @Post(':id/worker-signature')
  @HttpCode(200)
  async sign(@Param('id') id: string, @Query('t') token: string | undefined, @Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    const view = await this.contracts.workerSign(id, token, parseRequest(workerSignatureSchema, body, '{jws: the detached compact JWS over the contract hash}').jws);
    void reply.status(200).header('cache-control', 'no-store').send(view);
  }
}
