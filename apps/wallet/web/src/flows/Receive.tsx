import { displayNameIn, looksLikeWorkplaceQr, Oid4vciClient, resolveCredentialOffer, type HolderKey, type PreparedOffer, type Vault } from '@citycred/wallet-core';
import { fill, useLanguage, useMessages } from '@citycred/web-ui';
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { TEXTS } from '../texts.js';
import { cityIssuerStanding, type CityIssuerStanding } from './city-issuers.js';
import { BROWSER_ISSUER_SIGNATURE } from './issuer-signature.js';
import { BROWSER_TRANSPORT, configurationLabel, flowErrorText } from './protocol.js';
import { ScanOrPaste } from './ScanOrPaste.js';
import { FLOW_TEXTS } from './texts.js';

type Stage =
  | { readonly name: 'start' }
  | { readonly name: 'not-city-issuer'; readonly text: string; readonly credentialIssuer: string; readonly standing: Exclude<CityIssuerStanding, 'listed'> }
  | { readonly name: 'offer'; readonly prepared: PreparedOffer; readonly cityIssuer: boolean }
  | { readonly name: 'done'; readonly id: string; readonly unchecked?: 'unavailable' | 'unsupported' };

/**
 * Receiving a credential (OpenID4VCI, pre-authorized code): scan or paste the offer, see who offers what (the issuer's
 * display name, the type's label from the catalogue), type the transaction code when the offer asks for one, and
 * receive it with the vault's holder key into the vault. A failure says what happened in the citizen's language
 * (the wallet core's messages) and stores nothing; the credentials already held are untouched.
 *
 * Before the issuer's metadata is read, the offer's credential issuer is looked up in the city's issuer directory:
 * one the city does not list (or a directory that cannot be read) is said so, and the citizen stops (the default) or
 * goes on anyway — another vendor's issuer following the same specifications — with a warning on the offer screen.
 * @param link - an offer link from a same-device link (`#receive?offer=…`): read at once, as if pasted
 * @param onReceived - called once the offer's credentials are stored (a same-device link then opens its next offer)
 * @param onContract - a labour contract's link or review URL was scanned here: it opens the contract screen
 * @param onAttend - a workplace QR (its `#attend` link or JWS) was scanned here: it opens check-in and -out
 */
export function Receive({
  vault,
  holder,
  link,
  onOpen,
  onCancel,
  onReceived,
  onContract,
  onAttend,
}: {
  vault: Vault;
  holder: HolderKey | undefined;
  link?: string;
  onOpen: (id: string) => void;
  onCancel: () => void;
  onReceived?: () => void;
  onContract?: (text: string) => void;
  onAttend?: (text: string) => void;
}): ReactNode {
  const t = useMessages(TEXTS);
  const f = useMessages(FLOW_TEXTS);
  const { lang } = useLanguage();
  // The issuer's signature is checked on arrival: a credential whose signature fails is refused, nothing stored.
  const client = useMemo(() => new Oid4vciClient({ ...BROWSER_TRANSPORT, issuerSignature: BROWSER_ISSUER_SIGNATURE }), []);
  const [stage, setStage] = useState<Stage>({ name: 'start' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [txCode, setTxCode] = useState('');
  const linkRead = useRef(false);

  useEffect(() => {
    if (link === undefined || linkRead.current) return;
    linkRead.current = true;
    void read(link);
  }, [link]);

  async function read(text: string): Promise<void> {
    // The one scanner also reads the codes of labour contracts and workplace attendance, and sends them on.
    if (onContract && (text.includes('#contract?') || /\/labor\/contracts\/[^/?#]+\?t=/.test(text))) return onContract(text.trim());
    if (onAttend && looksLikeWorkplaceQr(text)) return onAttend(text.trim());
    setBusy(true);
    setError('');
    try {
      setTxCode('');
      const offer = await resolveCredentialOffer(text, BROWSER_TRANSPORT);
      const standing = await cityIssuerStanding(offer.credentialIssuer);
      if (standing === 'listed') setStage({ name: 'offer', prepared: await client.prepare(text), cityIssuer: true });
      else setStage({ name: 'not-city-issuer', text, credentialIssuer: offer.credentialIssuer, standing });
    } catch (caught) {
      setError(flowErrorText(caught, lang, t));
    } finally {
      setBusy(false);
    }
  }

  async function proceedAnyway(text: string): Promise<void> {
    setBusy(true);
    setError('');
    try {
      setStage({ name: 'offer', prepared: await client.prepare(text), cityIssuer: false });
    } catch (caught) {
      setError(flowErrorText(caught, lang, t));
    } finally {
      setBusy(false);
    }
  }

  async function accept(event: FormEvent, prepared: PreparedOffer): Promise<void> {
    event.preventDefault();
    if (!holder) return;
    setBusy(true);
    setError('');
    try {
      const received = await client.receive(prepared, { holder, ...(prepared.offer.txCode ? { txCode: txCode.trim() } : {}) });
      for (const credential of received) await vault.saveCredential(credential.record);
      // Keys that could not be had (offline, verifier down) do not lose a credential the issuer has already issued:
      // it is kept marked "signature not checked yet", said here and checked again when its card opens.
      const unchecked = received.map((credential) => credential.issuerSignature).find((reading) => reading?.state === 'unchecked');
      setStage({ name: 'done', id: received[0]!.record.id, ...(unchecked?.state === 'unchecked' ? { unchecked: unchecked.reason } : {}) });
      onReceived?.();
    } catch (caught) {
      setError(flowErrorText(caught, lang, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="receive-title">
      <button type="button" className="link" onClick={onCancel}>
        ← {t.back}
      </button>
      <h1 id="receive-title">{f.receiveTitle}</h1>
      {stage.name === 'start' && (
        <>
          <p className="hint">{f.receiveHint}</p>
          <ScanOrPaste id="receive" busy={busy} onText={(text) => void read(text)} />
        </>
      )}
      {stage.name === 'not-city-issuer' && (
        <div className="panel" id="not-city-issuer" role="alertdialog" aria-labelledby="not-city-issuer-title" aria-describedby="not-city-issuer-body" data-standing={stage.standing}>
          <h2 id="not-city-issuer-title">{stage.standing === 'unlisted' ? f.notCityIssuer : f.cityIssuerUnknown}</h2>
          <p id="not-city-issuer-body">{fill(stage.standing === 'unlisted' ? f.notCityIssuerBody : f.cityIssuerUnknownBody, { issuer: stage.credentialIssuer })}</p>
          <button type="button" className="primary" onClick={onCancel} disabled={busy} autoFocus>
            {f.stopReceiving}
          </button>
          <button type="button" className="secondary full" onClick={() => void proceedAnyway(stage.text)} disabled={busy}>
            {busy ? f.checking : f.proceedAnyway}
          </button>
        </div>
      )}
      {stage.name === 'offer' && (
        <form className="panel" id="offer" onSubmit={(event) => void accept(event, stage.prepared)}>
          {!stage.cityIssuer && (
            <p className="error" id="offer-not-city-issuer">
              {f.notCityIssuerNotice}
            </p>
          )}
          <p id="offer-from">{fill(f.offerFrom, { issuer: displayNameIn(stage.prepared.issuer.display, lang) ?? new URL(stage.prepared.offer.credentialIssuer).host })}</p>
          <h2>{f.offeredCredential}</h2>
          <ul className="offered">
            {stage.prepared.configurations.map((configuration) => (
              <li key={configuration.id}>{configurationLabel(configuration, lang)}</li>
            ))}
          </ul>
          {stage.prepared.offer.txCode && (
            <>
              <label htmlFor="tx-code">{f.txCode}</label>
              <input
                id="tx-code"
                className="pin-input"
                value={txCode}
                onChange={(event) => setTxCode(event.target.value)}
                inputMode={stage.prepared.offer.txCode.inputMode === 'numeric' ? 'numeric' : 'text'}
                autoComplete="one-time-code"
                aria-describedby="tx-code-hint"
                {...(stage.prepared.offer.txCode.length ? { maxLength: stage.prepared.offer.txCode.length } : {})}
              />
              <p id="tx-code-hint" className="hint">
                {stage.prepared.offer.txCode.length ? fill(f.txCodeHint, { length: String(stage.prepared.offer.txCode.length) }) : f.txCodeHintAny}
              </p>
            </>
          )}
          <button type="submit" className="primary" disabled={busy || !holder}>
            {busy ? f.receiving : f.accept}
          </button>
          <button type="button" className="secondary full" onClick={onCancel} disabled={busy}>
            {f.cancel}
          </button>
        </form>
      )}
      {stage.name === 'done' && (
        <div className="panel">
          <p role="status" className="success">
            {f.received}
          </p>
          {stage.unchecked && (
            <p className="error" id="receive-signature-unchecked">
              {stage.unchecked === 'unavailable' ? f.signatureUncheckedNow : f.signatureUncheckable}
            </p>
          )}
          <button type="button" className="primary" onClick={() => onOpen(stage.id)}>
            {f.openCard}
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="error" id="receive-error">
          {error}
        </p>
      )}
    </section>
  );
}
