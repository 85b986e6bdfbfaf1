export { provisionTenants } from './provision.js';
export type { ProvisionedTenant, ProvisionOptions } from './provision.js';
export { prepareLocalChain, attachToChain } from './chain-setup.js';
export { createPlatform } from './launcher.js';
export { KEYS_USAGE, runKeysCommand } from './keys-command.js';
export type { KeysCommandOutput } from './keys-command.js';
export type { LauncherSettings, Platform } from './launcher.js';
export { demoFileSchema, readDemoFile, writeDemoFile } from './demo-file.js';
export type { DemoFile } from './demo-file.js';
