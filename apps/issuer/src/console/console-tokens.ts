/** How the session cookie is set: `Secure` when the issuer's public URL is https. */
export interface ConsoleCookieSettings {
  readonly secure: boolean;
}

/** Injection token of the {@link ConsoleCookieSettings}. */
export const CONSOLE_COOKIE_SETTINGS = Symbol.for('citycred.issuer.console.cookie-settings');

/** Injection token of the console's `ConsoleAdmin` (null when the issuer wires no tenant administration). */
export const CONSOLE_ADMIN = Symbol.for('citycred.issuer.console.admin');
