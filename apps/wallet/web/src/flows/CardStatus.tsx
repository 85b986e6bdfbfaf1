import { credentialFormat } from '@citycred/formats';
import { checkIssuerSignature, fetchAnchorProof, issuerServiceUrlOf, issuerSignatureSnapshot, overallStatus, readCredentialStatus, type IssuerSignatureSnapshot, type Vault, type WalletCredential } from '@citycred/wallet-core';
import { fill, useLanguage, useMessages } from '@citycred/web-ui';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { formatDate } from '../format.js';
import { TEXTS } from '../texts.js';
import { BROWSER_ISSUER_SIGNATURE } from './issuer-signature.js';
import { BROWSER_TRANSPORT, flowErrorText } from './protocol.js';
import { FLOW_TEXTS } from './texts.js';

type StatusState = 'valid' | 'revoked' | 'suspended' | 'unknown';
type Anchoring =
  | { readonly state: 'checking' | 'no-issuer' | 'pending' | 'refused' | 'unknown' }
  | { readonly state: 'anchored'; readonly block: number | undefined }
  | { readonly state: 'failed'; readonly message: string };

/** The block of a kept anchor proof (the record keeps the issuer's answer as it came). */
function blockOf(proof: Readonly<Record<string, unknown>>): number | undefined {
  return typeof proof['blockNumber'] === 'number' ? proof['blockNumber'] : undefined;
}

/**
 * A card's issuer signature, status and anchoring, read when the card opens: a signature received "not checked yet"
 * (the issuer's keys could not be had then) checked again; the status from the issuer's whole status lists (the
 * wallet core's `readCredentialStatus`, which never names the credential to the issuer, each list checked to be signed
 * by the issuer), kept in the record as its last snapshot; the anchor proof asked of the issuer the card came from
 * until it is anchored, then kept in the record and never asked again.
 */
export function CardStatus({ vault, record, onSaved }: { vault: Vault; record: WalletCredential; onSaved: (record: WalletCredential) => void }): ReactNode {
  const t = useMessages(TEXTS);
  const f = useMessages(FLOW_TEXTS);
  const { lang } = useLanguage();
  const [status, setStatus] = useState<StatusState | 'checking' | undefined>('checking');
  const [signature, setSignature] = useState<IssuerSignatureSnapshot | undefined>(record.issuerSignature);
  const [anchoring, setAnchoring] = useState<Anchoring>(record.anchorProof ? { state: 'anchored', block: blockOf(record.anchorProof) } : { state: 'checking' });

  const check = useCallback(async () => {
    // Only a card received here names the issuer service it came from; the CSP lets the app reach the city's issuers
    // only, so a card from elsewhere (an imported file) is not checked rather than refused by the browser.
    if (record.credentialIssuer === undefined) {
      setStatus(record.status?.state);
      setAnchoring({ state: 'no-issuer' });
      return;
    }
    setStatus('checking');
    let next: WalletCredential = record;
    if (record.issuerSignature?.state === 'unchecked' && record.issuerSignature.reason !== 'unsupported') {
      const reading = await checkIssuerSignature(credentialFormat(record.format).decode(record.encoded), BROWSER_ISSUER_SIGNATURE).catch(() => undefined);
      if (reading !== undefined && reading.state !== 'unchecked') {
        next = { ...next, issuerSignature: issuerSignatureSnapshot(reading, new Date()) };
        setSignature(next.issuerSignature);
      }
    }
    const readings = await readCredentialStatus(record, BROWSER_TRANSPORT, BROWSER_ISSUER_SIGNATURE).catch(() => []);
    const state = overallStatus(readings);
    setStatus(state);
    if (state !== undefined && state !== 'unknown') next = { ...next, status: { state, checkedAt: new Date().toISOString() } };
    if (record.anchorProof === undefined) {
      setAnchoring({ state: 'checking' });
      try {
        const found = await fetchAnchorProof(record, issuerServiceUrlOf(record.credentialIssuer), BROWSER_TRANSPORT);
        if (found.state === 'anchored') {
          setAnchoring({ state: 'anchored', block: found.proof.blockNumber });
          next = { ...next, anchorProof: { ...found.proof } };
        } else setAnchoring({ state: found.state });
      } catch (caught) {
        setAnchoring({ state: 'failed', message: flowErrorText(caught, lang, t) });
      }
    }
    if (next !== record) {
      await vault.saveCredential(next);
      onSaved(next);
    }
  }, [record, vault, onSaved, lang, t]);

  useEffect(() => {
    void check();
    // Once per card opened: a saved record comes back as a new object, which must not start another round.
  }, [record.id]);

  const statusText =
    status === undefined
      ? f.statusNotChecked
      : status === 'checking' ? f.statusChecking : status === 'valid' ? f.statusValid : status === 'suspended' ? f.statusSuspended : status === 'revoked' ? f.statusRevoked : f.statusUnknown;
  return (
    <div className="panel" id="card-status">
      <dl className="status-list">
        {signature && (
          <>
            <dt>{f.signature}</dt>
            <dd id="card-signature" data-state={signature.state} className={signature.state === 'invalid' ? 'error' : undefined}>
              {signature.state === 'verified' ? f.signatureVerified : signature.state === 'invalid' ? f.signatureInvalid : f.signatureUnchecked}
            </dd>
          </>
        )}
        <dt>{f.status}</dt>
        <dd>
          <span className={`status status-${status ?? 'unknown'}`} id="card-status-value" data-status={status ?? 'none'}>
            {statusText}
          </span>
          {record.status && status !== 'checking' && <span className="hint"> · {fill(f.statusCheckedAt, { date: formatDate(new Date(record.status.checkedAt), lang) })}</span>}
        </dd>
        <dt>{f.anchoring}</dt>
        <dd id="card-anchoring" data-state={anchoring.state}>
          {anchoring.state === 'checking' && f.checking}
          {anchoring.state === 'anchored' && fill(f.anchored, { block: String(anchoring.block ?? '?') })}
          {anchoring.state === 'pending' && f.anchorPending}
          {anchoring.state === 'unknown' && f.anchorUnknown}
          {anchoring.state === 'refused' && f.anchorRefused}
          {anchoring.state === 'no-issuer' && f.anchorNoIssuer}
          {anchoring.state === 'failed' && anchoring.message}
        </dd>
      </dl>
      {record.credentialIssuer !== undefined && (
        <button type="button" className="secondary" id="check-status" disabled={status === 'checking' || anchoring.state === 'checking'} onClick={() => void check()}>
          {f.checkStatus}
        </button>
      )}
    </div>
  );
}
