import { AppError, ErrorCode } from '@citycred/errors';

/** The command-line flag each member of a tenant request comes from. */
const FLAGS: Readonly<Record<string, string>> = {
  slug: 'the slug',
  name: '--name',
  nameEn: '--name-en',
  kind: '--kind',
  types: '--types',
  accreditedBy: '--accredited-by',
  mayAccredit: '--may-accredit',
  businessNumber: '--business-number',
  validUntil: '--valid-until',
  delegate: '--delegate',
  type: '--type',
  validDays: '--valid-days',
  label: 'the label',
};

/**
 * What the operator is told of a refusal of the tenant administration (`@citycred/tenancy`): one line per issue of an
 * invalid request, by the flag and the value it was given there (the administration's messages never repeat the
 * request, as an HTTP answer must not; a terminal may), else the refusal's detail.
 * @param given - the request as the command line gave it, by member name
 */
export function refusalLines(error: AppError, given: Readonly<Record<string, unknown>> = {}): string[] {
  const issues = error.extensions['errors'];
  if ((error.code !== ErrorCode.TenantInvalid && error.code !== ErrorCode.CredentialUnknownType) || !Array.isArray(issues)) return [error.message];
  return (issues as Array<{ pointer: string; message: string }>).map(({ pointer, message }) => {
    const [, member = '', index] = pointer.split('/');
    const value = index === undefined ? given[member] : (given[member] as unknown[] | undefined)?.[Number(index)];
    const shown = typeof value === 'string' || typeof value === 'number' ? ` "${value}"` : '';
    return `${FLAGS[member] ?? member}${shown}: ${message}`;
  });
}

/** Whether `error` is a refusal the operator can act on (printed, exit code 1), rather than a fault. */
export function isRefusal(error: unknown): error is AppError {
  return error instanceof AppError;
}
