/** A text in Korean and English, as the issuer sends it. */
export interface Localised {
  readonly ko: string;
  readonly en: string;
}

/** One demo citizen as `GET /demo/citizens.json` lists them. */
export interface DemoCitizen {
  readonly id: string;
  readonly name: string;
  readonly nameEn: string;
  readonly summary: Localised;
  readonly age: number;
  /** `eligible` or the id of the criterion the citizen fails. */
  readonly youthAllowance: string;
  readonly youthRentSupport?: string;
  readonly credentials: ReadonlyArray<{ readonly type: string; readonly tenant: string; readonly labels: Localised }>;
}

/** `GET /demo/citizens.json`. */
export interface DemoCitizenList {
  readonly programYear: number;
  readonly walletUrl: string | null;
  readonly citizens: readonly DemoCitizen[];
}

/** One agency's offer, as `POST /demo/citizens/<id>/offers` answers it. */
export interface DemoOffer {
  readonly type: string;
  readonly tenant: string;
  readonly labels: Localised;
  readonly offerId: string;
  readonly credential_offer_link: string;
  readonly expiresAt: string;
}

/** `POST /demo/citizens/<id>/offers`. */
export interface DemoOffers {
  readonly citizen: string;
  readonly offers: readonly DemoOffer[];
  readonly walletLink: string | null;
}

/** A refusal of the issuer: the problem's stable code and HTTP status (the page words it itself). */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(`HTTP ${status}${code ? ` ${code}` : ''}`);
    this.name = 'ProblemError';
  }
}

async function answer<T>(response: Response): Promise<T> {
  if (response.ok) return (await response.json()) as T;
  let code: string | undefined;
  try {
    const problem = (await response.json()) as { code?: unknown };
    code = typeof problem.code === 'string' ? problem.code : undefined;
  } catch {
    code = undefined;
  }
  throw new ProblemError(response.status, code);
}

/** The issuer's demo routes, on this page's origin. */
export const demoApi = {
  citizens: async (): Promise<DemoCitizenList> => answer(await fetch('/demo/citizens.json', { headers: { accept: 'application/json' } })),
  offers: async (id: string): Promise<DemoOffers> =>
    answer(await fetch(`/demo/citizens/${encodeURIComponent(id)}/offers`, { method: 'POST', headers: { accept: 'application/json' } })),
};
