import { Controller, Get, Inject, Res } from '@nestjs/common';
import { problemFor } from '@citycred/errors';
import { PROBLEM_JSON, type HttpReply } from './problem-filter.js';

/** A dependency whose availability `/health` reports. */
export interface HealthProbe {
  /** `database`, `chain`, … */
  name: string;
  /** Resolves true when the dependency answers; must not throw. */
  isUp(): Promise<boolean>;
}

/** Injection token for the list of {@link HealthProbe}s. */
export const HEALTH_PROBES = Symbol.for('citycred.health-probes');

const PROBE_TIMEOUT_MS = 2_000;

async function probe(p: HealthProbe): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS)));
  try {
    return await Promise.race([p.isUp().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Asks every probe at once, each with the time limit; never throws. */
async function probeAll(probes: readonly HealthProbe[]): Promise<Array<readonly [name: string, up: boolean]>> {
  return Promise.all(probes.map(async (p) => [p.name, await probe(p)] as const));
}

/**
 * Names of the probes that do not answer, each given the same time limit as on `/health`.
 * @returns an empty list when every dependency answers; never throws
 */
export async function unavailableDependencies(probes: readonly HealthProbe[]): Promise<string[]> {
  return (await probeAll(probes)).filter(([, up]) => !up).map(([name]) => name);
}

/** `GET /health`: 200 `{status:"ok"}` when every probe answers, else 503 problem+json naming what is down. */
@Controller()
export class HealthController {
  constructor(@Inject(HEALTH_PROBES) private readonly probes: HealthProbe[]) {}

  @Get('health')
  async health(@Res() reply: HttpReply): Promise<void> {
    const results = await probeAll(this.probes);
    const down = results.filter(([, up]) => !up).map(([name]) => name);
    if (down.length === 0) {
      void reply.status(200).header('cache-control', 'no-store').send({ status: 'ok' });
      return;
    }
    const problem = problemFor('service.unavailable', `Not answering: ${down.join(', ')}`, {
      status_of: Object.fromEntries(results.map(([name, up]) => [name, up ? 'up' : 'down'])),
    });
    void reply.status(503).header('content-type', PROBLEM_JSON).header('cache-control', 'no-store').send(problem);
  }
}
