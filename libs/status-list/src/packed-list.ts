import { Gunzip, Unzlib, gzipSync, zlibSync } from 'fflate';
import { StatusListError, StatusListErrorCode } from './errors.js';

/**
 * Where entry 0 sits in byte 0. W3C Bitstring Status List: the most significant bit first. IETF Token Status List:
 * the least significant bits first. Mixing them up is the classic interoperability bug, hence one type for both.
 */
export type BitOrder = 'msb-first' | 'lsb-first';

/** Bits one status takes: 1 for the bitstring, 1, 2, 4 or 8 for the Token Status List. */
export type BitsPerEntry = 1 | 2 | 4 | 8;

/** The largest list we inflate: 16 MiB, far above any list we publish (32 KB), to refuse compression bombs. */
export const MAX_LIST_BYTES = 16 * 1024 * 1024;

/**
 * A list of small status values packed into bytes. Mutable on purpose: the issuer flips one entry and re-encodes.
 * Holders of a decoded list should treat it as read-only.
 */
export class PackedStatusList {
  private constructor(
    /** Bits per entry. */
    readonly bitsPerEntry: BitsPerEntry,
    /** Order of entries within a byte. */
    readonly order: BitOrder,
    /** The packed bytes (the list itself, not a copy). */
    readonly bytes: Uint8Array,
  ) {}

  /**
   * An all-zero list.
   * @param entries - how many statuses; must fill whole bytes
   * @throws StatusListError `status-list.bad-bits`, `status-list.invalid-argument`
   */
  static empty(bitsPerEntry: BitsPerEntry, order: BitOrder, entries: number): PackedStatusList {
    assertBits(bitsPerEntry);
    if (!Number.isSafeInteger(entries) || entries <= 0 || (entries * bitsPerEntry) % 8 !== 0) {
      throw new StatusListError(StatusListErrorCode.InvalidArgument, `A list of ${entries} entries of ${bitsPerEntry} bits does not fill whole bytes.`);
    }
    if ((entries * bitsPerEntry) / 8 > MAX_LIST_BYTES) throw new StatusListError(StatusListErrorCode.TooLarge, 'The list is larger than 16 MiB.');
    return new PackedStatusList(bitsPerEntry, order, new Uint8Array((entries * bitsPerEntry) / 8));
  }

  /**
   * Wraps existing bytes (not copied).
   * @throws StatusListError `status-list.bad-bits`
   */
  static fromBytes(bitsPerEntry: BitsPerEntry, order: BitOrder, bytes: Uint8Array): PackedStatusList {
    assertBits(bitsPerEntry);
    return new PackedStatusList(bitsPerEntry, order, bytes);
  }

  /** How many entries the list holds. */
  get length(): number {
    return (this.bytes.length * 8) / this.bitsPerEntry;
  }

  /**
   * The status at `index`.
   * @throws StatusListError `status-list.index-out-of-range`
   */
  get(index: number): number {
    const { byte, shift } = this.position(index);
    return (this.bytes[byte]! >>> shift) & this.mask;
  }

  /**
   * Sets the status at `index`.
   * @throws StatusListError `status-list.index-out-of-range`, or `status-list.bad-bits` when `value` does not fit
   */
  set(index: number, value: number): void {
    if (!Number.isInteger(value) || value < 0 || value > this.mask) {
      throw new StatusListError(StatusListErrorCode.BadBits, `The status ${value} does not fit in ${this.bitsPerEntry} bit(s).`);
    }
    const { byte, shift } = this.position(index);
    this.bytes[byte] = (this.bytes[byte]! & ~(this.mask << shift)) | (value << shift);
  }

  private get mask(): number {
    return (1 << this.bitsPerEntry) - 1;
  }

  private position(index: number): { byte: number; shift: number } {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.length) {
      throw new StatusListError(StatusListErrorCode.IndexOutOfRange, `Index ${index} is outside the list of ${this.length} entries.`);
    }
    const bit = index * this.bitsPerEntry;
    const within = bit % 8;
    return { byte: bit >>> 3, shift: this.order === 'lsb-first' ? within : 8 - this.bitsPerEntry - within };
  }
}

function assertBits(bits: number): asserts bits is BitsPerEntry {
  if (bits !== 1 && bits !== 2 && bits !== 4 && bits !== 8) {
    throw new StatusListError(StatusListErrorCode.BadBits, `A status takes 1, 2, 4 or 8 bits, not ${String(bits)}.`);
  }
}

/**
 * GZIP with fixed settings (level 9, no file name, modification time 0) so the same list always gives the same bytes:
 * the published list's hash and the frozen vectors depend on it.
 */
export function gzipDeterministic(bytes: Uint8Array): Uint8Array {
  return gzipSync(bytes, { level: 9, mtime: 0 });
}

/** ZLIB (RFC 1950) with a fixed level, for the Token Status List's `lst`. */
export function zlibDeterministic(bytes: Uint8Array): Uint8Array {
  return zlibSync(bytes, { level: 9 });
}

/**
 * Inflates GZIP or ZLIB data, refusing more than {@link MAX_LIST_BYTES} of output before it is produced in full.
 * @throws StatusListError `status-list.bad-compression`, `status-list.too-large`
 */
export function inflateBounded(data: Uint8Array, container: 'gzip' | 'zlib'): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const onData = (chunk: Uint8Array, final: boolean) => {
    total += chunk.length;
    if (total > MAX_LIST_BYTES) throw new StatusListError(StatusListErrorCode.TooLarge, 'The list inflates to more than 16 MiB.');
    chunks.push(chunk);
    if (final) ended = true;
  };
  try {
    const stream = container === 'gzip' ? new Gunzip(onData) : new Unzlib(onData);
    stream.push(data, true);
  } catch (error) {
    if (error instanceof StatusListError) throw error;
    throw new StatusListError(StatusListErrorCode.BadCompression, `The list is not valid ${container.toUpperCase()} data.`);
  }
  if (!ended) throw new StatusListError(StatusListErrorCode.BadCompression, `The ${container.toUpperCase()} data is truncated.`);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
