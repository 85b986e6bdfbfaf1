import { createHash } from 'node:crypto';
import { ISSUER_DIRECTORY_VERSION, type DirectoryIssuer, type IssuerDirectory } from '@citycred/credentials';
import type { TenantEntity } from '@citycred/persistence';
import type { TenantDirectory } from '@citycred/tenancy';
import { getAddress } from 'ethers';
import type { PublishedListUrl } from '../status-list/status-list.repository.js';
import type { StatusLists } from '../status-list/status-lists.service.js';

/** What the directory shows of a tenant. */
export type DirectoryTenant = Pick<TenantEntity, 'id' | 'slug' | 'name' | 'nameEn' | 'kind' | 'did' | 'address' | 'credentialTypes'>;

/**
 * The issuer directory (`GET /issuers`, docs/issuer-directory.md) built from the tenants and the lists they opened:
 * every tenant configured for at least one credential type, by slug, with its names, the types it is configured for
 * and the URLs of all its status lists (oldest first). No API key, no person: only the organisations that issue.
 * @param lists - in the order of {@link StatusLists.publishedUrls} (by tenant, kind, purpose, seq)
 */
export function buildIssuerDirectory(tenants: readonly DirectoryTenant[], lists: readonly PublishedListUrl[]): IssuerDirectory {
  const byTenant = new Map<string, PublishedListUrl[]>();
  for (const list of lists) byTenant.set(list.tenantId, [...(byTenant.get(list.tenantId) ?? []), list]);
  const issuers = [...tenants]
    .filter((tenant) => tenant.credentialTypes.length > 0)
    .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
    .map((tenant): DirectoryIssuer => {
      const own = [...(byTenant.get(tenant.id) ?? [])].sort((a, b) => a.seq - b.seq);
      const urls = (kind: PublishedListUrl['kind'], purpose: PublishedListUrl['purpose']) => own.filter((l) => l.kind === kind && l.purpose === purpose).map((l) => l.url);
      return {
        did: tenant.did,
        address: getAddress(tenant.address),
        slug: tenant.slug,
        kind: tenant.kind,
        name: { ko: tenant.name, en: tenant.nameEn ?? null },
        credentialTypes: [...tenant.credentialTypes],
        statusLists: { bitstring: { revocation: urls('bitstring', 'revocation'), suspension: urls('bitstring', 'suspension') }, token: urls('token', 'status') },
      };
    });
  return { version: ISSUER_DIRECTORY_VERSION, issuers };
}

/** The directory as served: its JSON and a strong ETag over it. */
export interface ServedDirectory {
  readonly json: string;
  /** The quoted hex SHA-256 of {@link json}. */
  readonly etag: string;
}

/** Reads the directory from the tenants and the status-list context. */
export class IssuerDirectoryReader {
  constructor(
    private readonly tenants: Pick<TenantDirectory, 'list'>,
    private readonly statusLists: Pick<StatusLists, 'publishedUrls'>,
  ) {}

  /** The directory now (two reads of the database: tenants, then the lists' URLs). */
  async current(): Promise<ServedDirectory> {
    const [tenants, lists] = await Promise.all([this.tenants.list(), this.statusLists.publishedUrls()]);
    const json = JSON.stringify(buildIssuerDirectory(tenants, lists));
    return { json, etag: `"${createHash('sha256').update(json).digest('hex')}"` };
  }
}
