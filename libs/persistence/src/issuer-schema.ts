import { Entities as VeramoEntities, migrations as veramoMigrations } from '@veramo/data-store';
import { AnchorBatchEntity } from './entities/anchor-batch.entity.js';
import { AnchorOutboxEntity } from './entities/anchor-outbox.entity.js';
import { CredentialTypeSchemaEntity } from './entities/credential-type-schema.entity.js';
import { ApiKeyEntity } from './entities/api-key.entity.js';
import { IssuedCredentialEntity } from './entities/issued-credential.entity.js';
import { KeyEncryptionCheckEntity } from './entities/key-encryption-check.entity.js';
import { SealedPrivateKeyEntity } from './entities/sealed-private-key.entity.js';
import { StatusEntryEntity } from './entities/status-entry.entity.js';
import { StatusHistoryEntity } from './entities/status-history.entity.js';
import { StatusListEntity } from './entities/status-list.entity.js';
import { TenantEntity } from './entities/tenant.entity.js';
import { OID4VCI_ENTITIES } from './entities/oid4vci.entity.js';
import { ConsoleOperatorEntity } from './entities/console-operator.entity.js';
import { ConsoleSessionEntity } from './entities/console-session.entity.js';
import { AuditEntryEntity, AuditHeadEntity } from './entities/audit.entity.js';
import { CreateIssuerSchema1764000000000 } from './migrations/1764000000000-create-issuer-schema.js';
import { AnchorBatchRefusal1764130400000 } from './migrations/1764130400000-anchor-batch-refusal.js';
import { SealedPrivateKeys1764215000000 } from './migrations/1764215000000-sealed-private-keys.js';
import { StatusLists1764500000000 } from './migrations/1764500000000-status-lists.js';
import { OpenIssuance1764300000000 } from './migrations/1764300000000-open-issuance.js';
import { Oid4vci1764400000000 } from './migrations/1764400000000-oid4vci.js';
import { AnchorBatchGas1764650000000 } from './migrations/1764650000000-anchor-batch-gas.js';
import { ConsoleAndAudit1764800000000 } from './migrations/1764800000000-console-and-audit.js';
import { TenantEnglishName1764900000000 } from './migrations/1764900000000-tenant-english-name.js';
import { Oid4vciOfferHolder1766300000000 } from './migrations/1766300000000-oid4vci-offer-holder.js';
import { TenantBusinessNumber1767200000000 } from './migrations/1767200000000-tenant-business-number.js';
import { LaborAttendance1767500000000 } from './migrations/1767500000000-labor-attendance.js';
import { LABOR_ATTENDANCE_ENTITIES } from './entities/labor-attendance.entity.js';
import { LaborContracts1767300000000 } from './migrations/1767300000000-labor-contracts.js';
import { LaborContractEntity } from './entities/labor-contract.entity.js';
import { AnchorOutboxKindLength1767760000000 } from './migrations/1767760000000-anchor-outbox-kind-length.js';
import { createDataSource, type DatabaseLocation } from './data-source.js';
import type { DataSource } from 'typeorm';

/** Our own entities of the issuer service. */
export const ISSUER_ENTITIES = [TenantEntity, ApiKeyEntity, IssuedCredentialEntity, AnchorOutboxEntity, AnchorBatchEntity, SealedPrivateKeyEntity, KeyEncryptionCheckEntity, CredentialTypeSchemaEntity, ...OID4VCI_ENTITIES, StatusListEntity, StatusEntryEntity, StatusHistoryEntity, ConsoleOperatorEntity, ConsoleSessionEntity, AuditEntryEntity, AuditHeadEntity, LaborContractEntity, ...LABOR_ATTENDANCE_ENTITIES];

/**
 * The issuer's database: our tables plus Veramo's data-store tables (keys, DIDs), all created by
 * migrations, Veramo's first so its key tables exist before ours reference DIDs.
 */
export function createIssuerDataSource(location: DatabaseLocation): DataSource {
  return createDataSource({
    ...location,
    entities: [...VeramoEntities, ...ISSUER_ENTITIES],
    migrations: [...veramoMigrations, CreateIssuerSchema1764000000000, AnchorBatchRefusal1764130400000, SealedPrivateKeys1764215000000, OpenIssuance1764300000000, Oid4vci1764400000000, StatusLists1764500000000, AnchorBatchGas1764650000000, ConsoleAndAudit1764800000000, TenantEnglishName1764900000000, Oid4vciOfferHolder1766300000000, TenantBusinessNumber1767200000000, LaborContracts1767300000000, LaborAttendance1767500000000, AnchorOutboxKindLength1767760000000],
    migrationsTableName: 'issuer_migrations',
  });
}
