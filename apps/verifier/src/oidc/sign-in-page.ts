import type { LocalisedText } from '../policies/index.js';
import { escapeHtml } from './oidc-provider.js';
import type { SignInView } from './sign-in.service.js';
import type { SignInScope } from './sign-in-scopes.js';

/**
 * The sign-in page's Content Security Policy: its one script and nothing else from anywhere (the QR code is inline
 * SVG markup, no style sheet), connections to this origin (the state it polls), no framing, no forms.
 */
export const SIGN_IN_PAGE_CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The browser tab the same-device link opens the wallet in: the wallet's own (`WALLET_TAB` of @citycred/web-ui, a
 * browser-only package, docs/wallet-protocols.md "Same-device links"), so this page stays in its tab, polling, and takes
 * the citizen on to the site as soon as the wallet has answered — as the application pages do.
 */
export const WALLET_TAB = 'citycred-wallet';

/** What each scope asks of the citizen, as the page lists it. */
const SCOPE_TEXT: Readonly<Record<SignInScope, LocalisedText>> = {
  age_over_19: { ko: '만 19세 이상 여부', en: 'Whether you are 19 or older' },
  age_over_18: { ko: '만 18세 이상 여부', en: 'Whether you are 18 or older' },
  seoul_resident: { ko: '서울시 거주 여부', en: 'Whether you live in Seoul' },
  name: { ko: '이름', en: 'Your name' },
};

/**
 * The sign-in page (server-rendered, Korean and English side by side): the site's name, what it asked for, the
 * OpenID4VP request as a QR code for a wallet on another phone and as a link for the wallet on this one, and a live
 * status the page's script fills in while it polls the sign-in's state; when the presentation verified it goes on to
 * the site, when it was refused it says why and offers the way back.
 */
export function signInPage(view: SignInView): string {
  const asked = view.scopes.map((scope) => `<li>${escapeHtml(SCOPE_TEXT[scope].ko)} · ${escapeHtml(SCOPE_TEXT[scope].en)}</li>`).join('');
  const base = `/sign-in/${encodeURIComponent(view.uid)}`;
  return `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>서울시민카드로 로그인 · Sign in with the Seoul citizen card</title>
<script src="/sign-in/assets/sign-in.js" defer></script>
</head>
<body>
<main id="sign-in" data-state-url="${escapeHtml(`${base}/state`)}" data-finish-url="${escapeHtml(`${base}/finish`)}">
<h1>서울시민카드로 로그인 · Sign in with the Seoul citizen card</h1>
<p><strong>${escapeHtml(view.client.name.ko)}</strong> · ${escapeHtml(view.client.name.en)}</p>
<p>이 누리집은 다음만 요청합니다 · This site asks only for:</p>
<ul id="asked"><li>서울시민카드 확인 (누리집별로 다른 식별자) · Your citizen card (an identifier of its own for this site)</li>${asked}</ul>
<p>다른 휴대폰의 지갑으로 QR 코드를 찍으세요 · Scan the QR code with the wallet on another phone:</p>
<div id="qr" role="img" aria-label="OpenID4VP QR">${view.qrSvg}</div>
<p><a id="wallet-link" href="${escapeHtml(view.walletLink)}" target="${WALLET_TAB}">이 기기의 지갑 앱에서 열기 · Open in the wallet on this device</a></p>
<p id="status" role="status" aria-live="polite">지갑의 응답을 기다리는 중 · Waiting for the wallet…</p>
<p><a id="back" href="${escapeHtml(`${base}/finish?cancel=1`)}">취소하고 누리집으로 돌아가기 · Cancel and go back to the site</a></p>
<noscript><p><a href="${escapeHtml(`${base}/finish`)}">지갑에서 제출한 뒤 누르세요 · Press after presenting in the wallet</a></p></noscript>
</main>
</body>
</html>`;
}

/** The page for an interaction that is over or unknown. */
export function signInGonePage(): string {
  return `<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>로그인 만료 · Sign-in over</title></head>
<body><main><h1>이 로그인은 끝났거나 만료되었습니다 · This sign-in is over or has expired</h1>
<p>로그인을 시작한 누리집으로 돌아가 다시 시도하세요. · Go back to the site you came from and sign in again.</p></main></body></html>`;
}

/**
 * The page's script: polls the state once a second; `verified` goes on to the finish URL (which sends the browser
 * back to the site), `refused` or `expired` shows the reason — refused with a link back to the site (`access_denied`),
 * expired with a reload for a new request. No markup is set from a string.
 */
export const SIGN_IN_SCRIPT = `'use strict';
(function () {
  var main = document.getElementById('sign-in');
  if (!main) return;
  var status = document.getElementById('status');
  var back = document.getElementById('back');
  var stateUrl = main.getAttribute('data-state-url');
  var finishUrl = main.getAttribute('data-finish-url');
  function say(text) { status.textContent = text; }
  function poll() {
    fetch(stateUrl, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (res) { return res.ok ? res.json() : Promise.reject(res.status); })
      .then(function (body) {
        if (body.state === 'pending') { setTimeout(poll, 1000); return; }
        if (body.state === 'verified') { say('확인되었습니다. 누리집으로 돌아갑니다 · Verified: returning to the site…'); window.location.assign(finishUrl); return; }
        say(body.reason.ko + ' · ' + body.reason.en);
        if (body.state === 'refused') { back.textContent = '누리집으로 돌아가기 · Go back to the site'; back.setAttribute('href', finishUrl); }
        else { back.textContent = '다시 시도 · Try again'; back.setAttribute('href', window.location.pathname); }
      })
      .catch(function () { say('로그인이 끝났거나 만료되었습니다 · This sign-in is over or has expired.'); });
  }
  poll();
})();
`;
