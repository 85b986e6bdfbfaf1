export {
  ethrDidRegistryArtifact,
  loadArtifact,
  type CityContractName,
  type ContractArtifact,
  type DeployableArtifact,
} from './artifacts.js';
export {
  credentialAnchorAt,
  issuerRegistryAt,
  type AccreditationView,
  type AnchorView,
  type CredentialAnchorContract,
  type IssuerRegistryContract,
} from './contracts.js';
export { credentialTypeHash } from './credential-type.js';
export {
  deployCityContracts,
  deploymentIsLive,
  deploymentRecordPath,
  ensureCityDeployment,
  readDeploymentRecord,
  writeDeploymentRecord,
  type CityDeployment,
  type EnsureCityDeploymentOptions,
} from './deploy.js';
export {
  anvilBinaryPath,
  freePort,
  portIsFree,
  startLocalChain,
  type LocalChain,
  type LocalChainExit,
  type LocalChainOptions,
} from './local-chain.js';
