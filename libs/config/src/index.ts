export { ConfigError, env, loadConfig } from './load-config.js';
export { CLOCK, FixedClock, systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { platformEnv } from './platform-config.js';
export type { PlatformEnv } from './platform-config.js';
