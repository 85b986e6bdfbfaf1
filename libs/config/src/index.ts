export { ConfigError, env, loadConfig } from './load-config.js';
export { PUBLIC_TEST_KEYS, SECRET_KEY_BYTES, weakSecretReason } from './secret-strength.js';
export { CLOCK, FixedClock, systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { RepeatingTask } from './repeating-task.js';
export { databaseTimeoutsEnv, httpEdgeEnv, platformEnv } from './platform-config.js';
export type { DatabaseTimeoutsEnv, HttpEdgeEnv, PlatformEnv } from './platform-config.js';
