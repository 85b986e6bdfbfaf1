import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
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

/**
 * Operator-facing details `/health` adds under `details.<name>` (e.g. the tenants' accreditation). A detail never
 * decides whether the service is up: only {@link HealthProbe}s do.
 */
export interface HealthDetailProvider {
  /** Key under `details`. */
  name: string;
  /** The detail, JSON-serialisable; a rejection or a timeout shows as `null`. */
  details(): Promise<unknown>;
}

/** Injection token for the optional list of {@link HealthDetailProvider}s. */
export const HEALTH_DETAILS = Symbol.for('citycred.health-details');

/** Every provider's detail, each with the probes' time limit; never throws. */
async function collectDetails(providers: readonly HealthDetailProvider[]): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    providers.map(async (provider) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), PROBE_TIMEOUT_MS)));
      try {
        return [provider.name, await Promise.race([provider.details().catch(() => null), timeout])] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * `GET /health`: 200 `{status:"ok"}` when every probe answers, else 503 problem+json naming what is down; with
 * {@link HEALTH_DETAILS} providers, both carry `details`.
 */
@Controller()
export class HealthController {
  constructor(
    @Inject(HEALTH_PROBES) private readonly probes: HealthProbe[],
    @Optional() @Inject(HEALTH_DETAILS) private readonly detailProviders: HealthDetailProvider[] = [],
  ) {}

  @Get('health')
  async health(@Res() reply: HttpReply): Promise<void> {
    const [results, details] = await Promise.all([probeAll(this.probes), this.detailProviders.length > 0 ? collectDetails(this.detailProviders) : undefined]);
    const down = results.filter(([, up]) => !up).map(([name]) => name);
    if (down.length === 0) {
      void reply.status(200).header('cache-control', 'no-store').send({ status: 'ok', ...(details ? { details } : {}) });
      return;
    }
    const problem = problemFor('service.unavailable', `Not answering: ${down.join(', ')}`, {
      status_of: Object.fromEntries(results.map(([name, up]) => [name, up ? 'up' : 'down'])),
      ...(details ? { details } : {}),
    });
    void reply.status(503).header('content-type', PROBLEM_JSON).header('cache-control', 'no-store').send(problem);
  }
}
