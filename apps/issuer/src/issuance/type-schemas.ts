import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import type { Clock } from '@citycred/config';
import { pointerForDisplay } from '@citycred/credentials';
import { AppError, ErrorCode } from '@citycred/errors';
import { CredentialTypeSchemaEntity, type TenantEntity } from '@citycred/persistence';
import type { DataSource } from 'typeorm';

/** Largest JSON Schema a tenant may register (serialised). */
export const MAX_TYPE_SCHEMA_BYTES = 64 * 1024;

/** A registered schema as served to verifiers. */
export interface RegisteredTypeSchema {
  readonly document: Readonly<Record<string, unknown>>;
  readonly registeredAt: string;
}

/** One reason a subject does not match a registered schema (the value itself is never repeated). */
export interface TypeSchemaViolation {
  readonly pointer: string;
  readonly message: string;
}

/**
 * JSON Schemas (draft 2020-12) that tenants configured for open issuance register for their own credential types.
 * A registered schema is checked against every credential subject of the type the tenant issues, and is public at
 * the URL its credentials name in `credentialSchema`, so verifiers can check it too. Schemas are compiled once per
 * registration and never load anything remote (`$ref` resolves only inside the document).
 */
export class TypeSchemas {
  private readonly ajv = new Ajv2020({ strict: true, allErrors: true, loadSchema: undefined });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    (ajvFormats as unknown as (ajv: Ajv2020) => void)(this.ajv);
  }

  /**
   * Registers (or replaces) the schema of one of the tenant's open types.
   * @throws AppError `issuance.type-not-allowed` (403: not an open-issuance tenant, or a type it is not configured for),
   *   `credential-type.schema-invalid` (400: too large, not an object schema, or not valid JSON Schema 2020-12)
   */
  async register(tenant: TenantEntity, type: string, schema: unknown): Promise<RegisteredTypeSchema> {
    if (tenant.kind !== 'app' || !tenant.credentialTypes.includes(type)) {
      throw new AppError(ErrorCode.IssuanceTypeNotAllowed, `Tenant ${tenant.slug} registers schemas only for the open types it is configured for.`);
    }
    const text = JSON.stringify(schema);
    if (text === undefined || text.length > MAX_TYPE_SCHEMA_BYTES) throw invalidSchema(`The schema must be JSON of at most ${MAX_TYPE_SCHEMA_BYTES} bytes.`);
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema) || (schema as Record<string, unknown>)['type'] !== 'object') {
      throw invalidSchema('The schema describes a credential subject: it must be an object schema ({"type": "object", …}).');
    }
    this.compile(schema as Record<string, unknown>);
    const registeredAt = this.clock.now().toISOString();
    await this.dataSource.getRepository(CredentialTypeSchemaEntity).save({ tenantId: tenant.id, type, schema: text, registeredAt });
    return { document: schema as Record<string, unknown>, registeredAt };
  }

  /** The schema registered for a tenant's type, or null. */
  async find(tenantId: string, type: string): Promise<RegisteredTypeSchema | null> {
    const row = await this.dataSource.getRepository(CredentialTypeSchemaEntity).findOneBy({ tenantId, type });
    return row ? { document: JSON.parse(row.schema) as Record<string, unknown>, registeredAt: row.registeredAt } : null;
  }

  /**
   * Checks a subject against a registered schema.
   * @returns the violations, empty when it matches
   */
  violations(tenantId: string, type: string, registered: RegisteredTypeSchema, subject: unknown): TypeSchemaViolation[] {
    const key = `${tenantId}\u0000${type}\u0000${registered.registeredAt}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.compile(registered.document);
      this.compiled.set(key, validate);
    }
    if (validate(subject)) return [];
    return (validate.errors ?? []).map((error: ErrorObject) => ({
      pointer: pointerForDisplay(error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))),
      message: `${error.keyword}: ${error.message ?? 'does not match the schema'}`,
    }));
  }

  private compile(document: Record<string, unknown>): ValidateFunction {
    // A schema with an $id would be cached by Ajv under it and clash with a newer registration: compile a copy without.
    const { $id: _id, ...rest } = document;
    try {
      return this.ajv.compile(rest);
    } catch (error) {
      throw invalidSchema(`The schema is not valid JSON Schema 2020-12 (${error instanceof Error ? error.message.slice(0, 200) : 'unreadable'}).`);
    }
  }
}

function invalidSchema(detail: string): AppError {
  return new AppError(ErrorCode.CredentialTypeSchemaInvalid, detail);
}
