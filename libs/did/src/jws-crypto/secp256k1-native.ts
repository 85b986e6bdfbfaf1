import { createRequire } from 'node:module';
import type * as Secp256k1 from 'secp256k1';

/** The functions of the `secp256k1` package, as bound to bitcoin-core's libsecp256k1. */
export type Secp256k1Native = typeof Secp256k1;

/** Which implementation does the ES256K arithmetic. */
export type Secp256k1Backend = 'libsecp256k1' | 'node:crypto';

let loaded: Secp256k1Native | null | undefined;

/**
 * The native libsecp256k1 binding, or null when it cannot load on this machine (no prebuilt binary for the platform,
 * a musl/glibc mismatch, …). The package's own entry point silently falls back to the pure-JS `elliptic` library when
 * the binding fails, which is slower than node:crypto and not constant-time: `secp256k1/bindings` is required directly
 * so that a failure shows here and the caller picks node:crypto instead. Loaded once per process.
 */
export function nativeSecp256k1(): Secp256k1Native | null {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('secp256k1/bindings') as Secp256k1Native;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/**
 * The backend to use: the one asked for, else libsecp256k1 when its binding loads, else node:crypto.
 * @throws Error when libsecp256k1 is asked for explicitly and its binding does not load
 */
export function pickBackend(wanted?: Secp256k1Backend): Secp256k1Backend {
  if (wanted === 'node:crypto') return wanted;
  if (nativeSecp256k1()) return 'libsecp256k1';
  if (wanted === 'libsecp256k1') throw new Error('the native libsecp256k1 binding (secp256k1/bindings) does not load on this machine');
  return 'node:crypto';
}

/** The order of the secp256k1 group. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
/** The order of the P-256 group. */
export const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/**
 * `r ‖ s` with `s` replaced by `n - s` when it is in the upper half of the group order (BIP 62 low-S), in place.
 * Both forms verify under ECDSA; libsecp256k1 and did-jwt's signer only ever produce the low one.
 */
export function normaliseLowS(signature: Uint8Array, n: bigint): Uint8Array {
  // Almost every signature is low-S already: a comparison of bytes says so without any big-number arithmetic.
  if (!above(signature.subarray(32, 64), halfOrderBytes(n))) return signature;
  const s = bytesToBigInt(signature.subarray(32, 64));
  signature.set(bigIntTo32Bytes(n - s), 32);
  return signature;
}

/** n / 2 (rounded down) as 32 big-endian bytes, per group order. */
const halfOrders = new Map<bigint, Uint8Array>();

function halfOrderBytes(n: bigint): Uint8Array {
  let half = halfOrders.get(n);
  if (half === undefined) {
    half = bigIntTo32Bytes(n >> 1n);
    halfOrders.set(n, half);
  }
  return half;
}

/** Whether the 32-byte big-endian number `a` is greater than `b`. */
function above(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i += 1) {
    if (a[i] !== b[i]) return a[i]! > b[i]!;
  }
  return false;
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') || '0'}`);
}

function bigIntTo32Bytes(value: bigint): Uint8Array {
  return Buffer.from(value.toString(16).padStart(64, '0'), 'hex');
}
