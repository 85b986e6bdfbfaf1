/** Injection token of the {@link IssuerRuntime}. */
export const ISSUER_RUNTIME = Symbol.for('citycred.issuer.runtime');
