// The employer scanner (docs/oid4vp.md, "The employer scanner"): the employer picks a credential policy; the page
// either makes an OpenID4VP presentation request on this verifier, shows its QR code and deep link and follows the
// request's event stream, or reads the presentation QR code the worker's wallet shows with the camera and posts it to
// POST /scan/presentations. Either way it shows the decision, green or red, criterion by criterion. It shows nothing
// the decision does not say: the verifier keeps no disclosed claims, and the page never asks for any.
// Offline (docs/presentations.md, "Offline scanning"): the page keeps the verifier's signed offline bundle and, when
// the POST cannot reach the verifier, verifies the worker's QR code itself with /scan/offline.js; its service worker
// (/scan/sw.js) keeps the page's files, so that the page opens again without network.
import { outcomeOf, outcomeOfVerdict } from './outcome.js';
import { startCamera } from './qr-reader.js';

const TEXT = {
  ko: {
    title: '채용 자격 확인',
    intro: '지원자가 지갑 앱으로 확인용 QR 코드를 스캔하거나, 지원자의 지갑 앱이 보여 주는 QR 코드를 카메라로 스캔합니다. 어느 쪽이든 필요한 사항만 제출되며, 이 화면에는 결과와 그 이유만 표시되고 개인정보는 표시되지 않습니다.',
    legend: '무엇을 확인할까요?',
    'age-over-18': '만 18세 이상',
    'age-over-19': '만 19세 이상',
    'seoul-resident': '서울 거주',
    'work-history': '경력',
    start: '확인용 QR 코드 만들기',
    scanWorker: '지원자의 QR 코드 스캔',
    cameraTitle: '지원자의 지갑 앱에 표시된 QR 코드를 카메라에 비추세요',
    cameraPreview: '카메라 미리보기',
    notPresentation: '지갑 앱의 제출용 QR 코드가 아닙니다. 지원자에게 지갑 앱에서 제출용 QR 코드를 띄워 달라고 하세요.',
    checking: '확인하는 중…',
    requestTitle: '지원자의 지갑 앱으로 QR 코드를 스캔하세요',
    asked: '확인 항목',
    qrLabel: '지갑 앱으로 스캔할 QR 코드',
    openWallet: '지갑 앱에서 열기',
    cancel: '취소',
    next: '다음 사람 확인',
    creating: '요청을 만드는 중…',
    waiting: '지갑의 응답을 기다리는 중…',
    verified: '확인됨',
    notVerified: '확인 안 됨',
    passed: '충족',
    failed: '미충족',
    reasons: {
      expired: '요청 시간이 지났습니다. 다음 사람 확인을 눌러 다시 시작하세요.',
      declined: '지원자가 지갑에서 제출을 거절했습니다.',
      'wallet-error': '지갑이 제출하지 못했습니다.',
      'not-verified': '제출된 증명서를 검증하지 못했습니다.',
      refused: '이 QR 코드는 받을 수 없습니다. 이미 사용했거나, 오래되었거나, 다른 곳에 제출하려고 만든 QR 코드입니다. 지원자에게 새 QR 코드를 띄워 달라고 하세요.',
    },
    unavailable: '지금은 요청을 만들 수 없습니다. 잠시 후 다시 시도하세요.',
    checkUnavailable: '지금은 확인할 수 없습니다. 잠시 후 다시 시도하세요.',
    unreadableQr: 'QR 코드의 내용을 확인할 수 없습니다. 지원자에게 새 QR 코드를 띄워 달라고 하세요.',
    cameraDenied: '카메라 사용이 허용되지 않았습니다. 브라우저 설정에서 이 사이트의 카메라 권한을 허용한 뒤 다시 시도하세요.',
    cameraMissing: '사용할 수 있는 카메라가 없습니다. 확인용 QR 코드를 만들어 지원자가 스캔하게 하세요.',
    cameraBusy: '카메라를 켜지 못했습니다. 다른 앱이 카메라를 쓰고 있다면 닫고 다시 시도하세요.',
    cameraUnsupported: '이 브라우저에서는 카메라를 쓸 수 없습니다. 최신 브라우저에서 HTTPS 주소로 열어 주세요.',
    cameraInterrupted: '화면을 벗어나 카메라를 껐습니다. 다시 시작하세요.',
    lost: '결과를 받아오지 못했습니다. 다시 시도하세요.',
    offlineTitle: '오프라인 확인',
    offlineUpdate: '오프라인 데이터 갱신',
    offlineNone: '오프라인 데이터가 없습니다. 인터넷에 연결된 상태에서 갱신하세요.',
    offlineUpdating: '오프라인 데이터를 받는 중…',
    offlineFrom: '{time} 기준 오프라인 데이터 ({age} 전)',
    offlineOld: '오프라인 데이터가 12시간보다 오래되었습니다. 인터넷에 연결되면 갱신하세요.',
    offlineExpired: '오프라인 데이터의 사용 기한이 지났습니다. 인터넷에 연결해 갱신하기 전에는 오프라인으로 확인할 수 없습니다.',
    offlineInvalid: '보관된 오프라인 데이터를 확인할 수 없습니다. 인터넷에 연결해 갱신하세요.',
    offlineUpdateFailed: '오프라인 데이터를 받지 못했습니다. 잠시 후 다시 시도하세요.',
    offlineUnavailable: '인터넷에 연결되어 있지 않고 오프라인 데이터도 없어 확인할 수 없습니다.',
    verifiedOffline: '인터넷 연결 없이 {time} 기준 오프라인 데이터로 확인했습니다.',
    checkedOffline: '인터넷 연결 없이 {time} 기준 오프라인 데이터로 확인한 결과입니다.',
    hours: '{n}시간',
    minutes: '{n}분',
    other: 'English',
  },
  en: {
    title: 'Employer check',
    intro: 'The applicant scans the request QR code with their wallet app, or you scan the QR code their wallet shows with the camera; either way only what is asked is shared. This screen shows the result and its reasons, never personal data.',
    legend: 'What do you want to check?',
    'age-over-18': 'Age 18 or over',
    'age-over-19': 'Age 19 or over',
    'seoul-resident': 'Lives in Seoul',
    'work-history': 'Work history',
    start: 'Show the request QR code',
    scanWorker: 'Scan the applicant’s QR code',
    cameraTitle: 'Hold the QR code on the applicant’s wallet app in front of the camera',
    cameraPreview: 'Camera preview',
    notPresentation: 'This is not a wallet’s presentation QR code. Ask the applicant to show the presentation QR code in their wallet app.',
    checking: 'Checking…',
    requestTitle: 'Scan the QR code with the applicant’s wallet app',
    asked: 'Checking',
    qrLabel: 'QR code to scan with a wallet app',
    openWallet: 'Open in wallet app',
    cancel: 'Cancel',
    next: 'Check the next person',
    creating: 'Making the request…',
    waiting: 'Waiting for the wallet’s answer…',
    verified: 'Verified',
    notVerified: 'Not verified',
    passed: 'met',
    failed: 'not met',
    reasons: {
      expired: 'The request timed out. Press “Check the next person” to start again.',
      declined: 'The applicant declined in their wallet.',
      'wallet-error': 'The wallet could not answer.',
      'not-verified': 'The credential presented could not be verified.',
      refused: 'This QR code cannot be accepted: it was used already, is too old, or was made for somewhere else. Ask the applicant to show a new QR code.',
    },
    unavailable: 'A request cannot be made right now. Please try again shortly.',
    checkUnavailable: 'The check cannot be done right now. Please try again shortly.',
    unreadableQr: 'What the QR code says cannot be checked. Ask the applicant to show a new QR code.',
    cameraDenied: 'The camera was not allowed. Allow this site to use the camera in the browser’s settings, then try again.',
    cameraMissing: 'No camera is available. Show the request QR code for the applicant to scan instead.',
    cameraBusy: 'The camera could not be turned on. If another app is using it, close that app and try again.',
    cameraUnsupported: 'This browser cannot use the camera here. Open the page over HTTPS in an up-to-date browser.',
    cameraInterrupted: 'The camera was turned off because you left the page. Please start again.',
    lost: 'The result could not be fetched. Please try again.',
    offlineTitle: 'Offline checks',
    offlineUpdate: 'Update offline data',
    offlineNone: 'No offline data yet. Update it while online.',
    offlineUpdating: 'Fetching the offline data…',
    offlineFrom: 'Offline data from {time} ({age} old)',
    offlineOld: 'The offline data is more than 12 hours old. Update it when online.',
    offlineExpired: 'The offline data has expired: nothing can be checked offline until it is updated online.',
    offlineInvalid: 'The offline data kept here cannot be checked. Update it while online.',
    offlineUpdateFailed: 'The offline data could not be fetched. Please try again shortly.',
    offlineUnavailable: 'There is no connection, and no offline data to check with.',
    verifiedOffline: 'Verified offline with data from {time}.',
    checkedOffline: 'Checked offline with data from {time}.',
    hours: '{n} h',
    minutes: '{n} min',
    other: '한국어',
  },
};

const POLICIES = ['age-over-18', 'age-over-19', 'seoul-resident', 'work-history'];
const SVG_NS = 'http://www.w3.org/2000/svg';
/** What a wallet's presentation QR code says first (docs/presentations.md). */
const PRESENTATION_PREFIX = 'citycred-vp:';
const CAMERA_MESSAGES = { denied: 'cameraDenied', 'no-camera': 'cameraMissing', busy: 'cameraBusy', unsupported: 'cameraUnsupported', interrupted: 'cameraInterrupted' };

const $ = (id) => document.getElementById(id);
let lang = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'ko';
/**
 * What is on screen, so a language switch redraws it: choose, creating, waiting (for the wallet), camera (reading the
 * worker's QR code, with a hint when a wrong one was seen), checking, done (with the outcome) or a message.
 */
let view = { phase: 'choose' };
/** The open event stream, the camera while it is on, and a counter that makes answers of an abandoned attempt go unheard. */
let source = null;
let camera = null;
let attempt = 0;

/** Where the offline bundle (with the verifier key it was checked against) and the nonces seen offline are kept. */
const OFFLINE_STORE = 'citycred.scan.offline-bundle';
const NONCE_STORE = 'citycred.scan.seen-nonces';
/** The offline verifier (/scan/offline.js), loaded while online so that it is there when the network is not. */
let offlineVerifier = null;
/** The kept bundle: `{jws, jwk, check}`, `check` being what verifyBundle found; null when none is kept. */
let offline = null;
/** `updating` while the bundle is fetched, `failed` when the last fetch failed. */
let offlineUpdate = 'idle';

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/**
 * The QR code's `<svg>` from the verifier's SVG text, parsed as SVG (never as HTML) and imported as nodes, without
 * scripts, foreign objects or event handlers; null when the text is not an SVG document.
 */
function qrNode(svgText) {
  const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const root = parsed.documentElement;
  if (root.namespaceURI !== SVG_NS || root.localName !== 'svg' || parsed.getElementsByTagName('parsererror').length > 0) return null;
  for (const node of [...root.querySelectorAll('script, foreignObject, a, use, image')]) node.remove();
  for (const node of [root, ...root.querySelectorAll('*')]) {
    for (const attribute of [...node.attributes]) {
      if (/^on/i.test(attribute.name) || /href$/i.test(attribute.name) || attribute.name === 'style') node.removeAttribute(attribute.name);
    }
  }
  const svg = document.importNode(root, true);
  svg.setAttribute('role', 'img');
  svg.setAttribute('focusable', 'false');
  return svg;
}

/** A text's `{name}` placeholders filled. */
function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** An instant as the employer reads it: Seoul time, in the page's language. */
function when(iso) {
  return new Date(iso).toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Seoul' });
}

/** The offline data's state: when it is from and how old, with a warning when it is old, expired or unreadable. */
function renderOffline(t) {
  let status = t.offlineNone;
  let warning = '';
  if (offline?.check.valid && offlineVerifier) {
    const age = offlineVerifier.bundleAge(offline.check.bundle, new Date());
    const ago = age.ageSeconds < 3600 ? fill(t.minutes, { n: Math.floor(age.ageSeconds / 60) }) : fill(t.hours, { n: Math.floor(age.ageSeconds / 3600) });
    status = fill(t.offlineFrom, { time: when(age.issuedAt), age: ago });
    if (age.expired) warning = t.offlineExpired;
    else if (age.old) warning = t.offlineOld;
  } else if (offline) warning = t.offlineInvalid;
  if (offlineUpdate === 'updating') status = t.offlineUpdating;
  if (offlineUpdate === 'failed') warning = warning || t.offlineUpdateFailed;
  $('offline-status').textContent = status;
  $('offline-warning').textContent = warning;
  $('offline-warning').hidden = warning === '';
  $('offline-update').disabled = offlineUpdate === 'updating' || !offlineVerifier;
}

function render() {
  const t = TEXT[lang];
  document.documentElement.lang = lang;
  document.title = t.title;
  for (const node of document.querySelectorAll('[data-text]')) node.textContent = t[node.dataset.text];
  const language = $('language');
  language.textContent = t.other;
  language.lang = lang === 'ko' ? 'en' : 'ko';
  $('qr').querySelector('svg')?.setAttribute('aria-label', t.qrLabel);

  const waiting = view.phase === 'waiting';
  const scanning = view.phase === 'camera';
  const done = view.phase === 'done' || view.phase === 'message';
  $('choose').hidden = waiting || scanning || done || view.phase === 'checking';
  $('start').disabled = view.phase === 'creating';
  $('scan-worker').disabled = view.phase === 'creating';
  $('request').hidden = !waiting;
  $('camera').hidden = !scanning;
  $('next-wrap').hidden = !done;
  $('asked').textContent = waiting ? `${t.asked}: ${t[view.policy]}` : '';
  $('camera-asked').textContent = scanning ? `${t.asked}: ${t[view.policy]}` : '';
  $('camera-hint').textContent = scanning && view.hint ? t[view.hint] : '';
  $('camera-preview').setAttribute('aria-label', t.cameraPreview);

  const out = $('result');
  out.replaceChildren();
  if (view.phase === 'creating' || view.phase === 'waiting' || view.phase === 'checking') out.append(element('p', t[view.phase], 'message'));
  else if (view.phase === 'message') out.append(element('p', t[view.message], 'message'));
  else if (view.phase === 'done') out.append(outcomePanel(view.outcome, t));
  renderOffline(t);
}

function outcomePanel(outcome, t) {
  const kind = outcome.verified ? 'verified' : 'not-verified';
  const panel = element('section', undefined, `outcome outcome-${kind}`);
  panel.id = 'outcome';
  panel.dataset.outcome = kind;
  panel.append(element('h2', outcome.verified ? t.verified : t.notVerified));
  if (outcome.criteria.length > 0) {
    const list = element('ul');
    for (const criterion of outcome.criteria) {
      const item = element('li', undefined, criterion.passed ? 'criterion-passed' : 'criterion-failed');
      const mark = element('span', criterion.passed ? '✓' : '✗', 'mark');
      mark.setAttribute('aria-hidden', 'true');
      const status = element('span', criterion.passed ? t.passed : t.failed, 'visually-hidden');
      item.append(mark, status, element('span', criterion.reason[lang], 'reason'));
      list.append(item);
    }
    panel.append(list);
  }
  // Offline, the verifier module says why in the page's languages.
  if (outcome.refusal) panel.append(element('p', outcome.refusal[lang], 'plain-reason'));
  else if (outcome.reason) panel.append(element('p', t.reasons[outcome.reason] ?? t.reasons['not-verified'], 'plain-reason'));
  if (outcome.offline) panel.append(element('p', fill(outcome.verified ? t.verifiedOffline : t.checkedOffline, { time: when(outcome.offline.issuedAt) }), 'offline-note'));
  return panel;
}

/** Ends whatever the page was doing (an event stream followed, the camera on): its answers go unheard. */
function stopFollowing() {
  attempt += 1;
  source?.close();
  source = null;
  camera?.stop();
  camera = null;
}

function reset() {
  stopFollowing();
  $('qr').replaceChildren();
  $('wallet-link').removeAttribute('href');
  view = { phase: 'choose' };
  render();
  $('start').focus();
}

async function makeRequest(policy) {
  stopFollowing();
  const mine = attempt;
  view = { phase: 'creating' };
  render();
  const res = await fetch('/presentation-requests', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ policy, purpose: 'employer scan' }),
    cache: 'no-store',
  }).catch(() => null);
  const created = res && res.status === 201 ? await res.json().catch(() => null) : null;
  if (mine !== attempt) return;
  const svg = created && typeof created.qrSvg === 'string' ? qrNode(created.qrSvg) : null;
  if (!svg || typeof created.id !== 'string' || typeof created.deepLink !== 'string' || !created.deepLink.startsWith('openid4vp://')) {
    view = { phase: 'message', message: 'unavailable' };
    return render();
  }
  $('qr').replaceChildren(svg);
  $('wallet-link').href = created.deepLink;
  view = { phase: 'waiting', policy };
  render();
  follow(created.id, mine);
}

/** Follows the request's state events until a final state; the browser reconnects by itself while it is pending. */
function follow(id, mine) {
  const events = new EventSource(`/presentation-requests/${encodeURIComponent(id)}/events`);
  source = events;
  events.addEventListener('state', (event) => {
    if (mine !== attempt) return;
    let status;
    try {
      status = JSON.parse(event.data);
    } catch {
      return;
    }
    const outcome = outcomeOf(status);
    if (!outcome.final) return;
    stopFollowing();
    $('qr').replaceChildren();
    view = { phase: 'done', outcome };
    render();
    $('next').focus();
  });
  events.addEventListener('error', () => {
    if (mine !== attempt || events.readyState !== EventSource.CLOSED) return;
    stopFollowing();
    $('qr').replaceChildren();
    view = { phase: 'message', message: 'lost' };
    render();
  });
}

/** Turns the camera on to read the worker's presentation QR code, for `policy`. */
function scanWorker(policy) {
  stopFollowing();
  const mine = attempt;
  view = { phase: 'camera', policy };
  camera = startCamera($('camera-preview'), {
    onText(text) {
      if (mine !== attempt) return true;
      if (!text.trim().toLowerCase().startsWith(PRESENTATION_PREFIX)) {
        if (view.hint !== 'notPresentation') {
          view = { ...view, hint: 'notPresentation' };
          render();
        }
        return false;
      }
      camera = null;
      void checkPresentation(text, policy, mine);
      return true;
    },
    onProblem(problem) {
      if (mine !== attempt) return;
      camera = null;
      view = { phase: 'message', message: CAMERA_MESSAGES[problem] };
      render();
      $('next').focus();
    },
  });
  render();
  $('camera-cancel').focus();
}

/** Has the verifier check the presentation read from the worker's QR code, and shows its decision. */
async function checkPresentation(text, policy, mine) {
  view = { phase: 'checking' };
  render();
  // Without network (the browser says so, or the POST cannot reach the verifier) the offline bundle decides.
  const res =
    navigator.onLine === false
      ? null
      : await fetch('/scan/presentations', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ presentation: text, policy }),
          cache: 'no-store',
        }).catch(() => null);
  if (!res) {
    const checked = await checkOffline(text, policy);
    if (mine !== attempt) return;
    view = checked;
    render();
    $('next').focus();
    return;
  }
  // 200 verified, 400 not (the same members, as problem+json); a 400 without a verdict is a request the verifier could not read.
  const answer = res && (res.status === 200 || res.status === 400) ? await res.json().catch(() => null) : null;
  if (mine !== attempt) return;
  if (!answer || typeof answer.verified !== 'boolean') {
    view = { phase: 'message', message: res && res.status === 400 ? 'unreadableQr' : 'checkUnavailable' };
  } else {
    view = { phase: 'done', outcome: outcomeOfVerdict(answer) };
  }
  render();
  $('next').focus();
}

function readStored(key) {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

function writeStored(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage refused (private mode, full): the page still has it until it is closed.
  }
}

/** The kept bundle, checked against the kept verifier key: a bundle altered in storage verifies nothing. */
async function loadKeptBundle() {
  const kept = readStored(OFFLINE_STORE);
  if (!kept || typeof kept.jws !== 'string' || typeof kept.jwk !== 'object' || kept.jwk === null) return;
  offline = { jws: kept.jws, jwk: kept.jwk, check: await offlineVerifier.verifyBundle(kept.jws, kept.jwk) };
}

/**
 * Fetches the current bundle from this verifier (GET /scan/offline-bundle), checks it against the verifier key it
 * names — the page trusts its own origin while online — and keeps both.
 */
async function updateOffline() {
  if (!offlineVerifier || offlineUpdate === 'updating') return;
  offlineUpdate = 'updating';
  render();
  const res = await fetch('/scan/offline-bundle', { cache: 'no-store' }).catch(() => null);
  const jws = res && res.status === 200 ? (await res.text().catch(() => '')).trim() : '';
  const jwk = jws ? offlineVerifier.verifierJwkOf(jws) : undefined;
  const check = jwk ? await offlineVerifier.verifyBundle(jws, jwk) : null;
  if (check?.valid) {
    offline = { jws, jwk, check };
    writeStored(OFFLINE_STORE, { jws, jwk });
    offlineUpdate = 'idle';
  } else {
    offlineUpdate = 'failed';
  }
  render();
}

/**
 * The nonces of QR codes accepted offline on this device (localStorage), each kept until its code is too old to be
 * accepted anyway: a code shown twice here is a replay.
 */
function seenNonces(bundle) {
  const now = Date.now();
  const kept = Object.fromEntries(Object.entries(readStored(NONCE_STORE) ?? {}).filter(([, until]) => typeof until === 'number' && until > now));
  const keepFor = (bundle.scan.maxAgeSeconds + 2 * bundle.scan.clockSkewSeconds) * 1000;
  return {
    has: (nonce) => Object.hasOwn(kept, nonce),
    add(nonce) {
      kept[nonce] = now + keepFor;
      writeStored(NONCE_STORE, kept);
    },
  };
}

/** Verifies the worker's QR code with the kept bundle, without network: the view to show. */
async function checkOffline(text, policy) {
  if (!offlineVerifier || !offline) return { phase: 'message', message: 'offlineUnavailable' };
  const nonces = offline.check.valid ? seenNonces(offline.check.bundle) : { has: () => false, add() {} };
  const verdict = await offlineVerifier.verifyOffline(text, policy, offline.check, new Date(), nonces);
  const outcome = outcomeOfVerdict(verdict);
  return {
    phase: 'done',
    outcome: { ...outcome, ...(verdict.refusal ? { refusal: verdict.refusal } : {}), ...(verdict.offline.bundleIssuedAt ? { offline: { issuedAt: verdict.offline.bundleIssuedAt } } : {}) },
  };
}

/**
 * Has the browser keep the page's files with the page's service worker, so that /scan opens again without network.
 * Its scope is the page's own address, above the script's folder (the verifier allows it with Service-Worker-Allowed).
 * Without service workers (an insecure origin, a browser that has none) the page works as before while it stays open.
 */
function keepPageOffline() {
  if (!navigator.serviceWorker) return;
  navigator.serviceWorker.register('/scan/sw.js', { scope: '/scan' }).catch((error) => {
    console.info('The scanner page will not open offline: its service worker could not be registered.', error);
  });
}

/** Loads the offline verifier, reads the kept bundle and, when online, fetches the current one. */
async function startOffline() {
  try {
    offlineVerifier = await import('./offline.js');
  } catch {
    return;
  }
  await loadKeptBundle();
  render();
  if (navigator.onLine !== false) await updateOffline();
}

function start() {
  $('offline-update').addEventListener('click', () => void updateOffline());
  window.addEventListener('online', () => void updateOffline());
  $('language').addEventListener('click', () => {
    lang = lang === 'ko' ? 'en' : 'ko';
    render();
  });
  $('choose').addEventListener('submit', (event) => {
    event.preventDefault();
    const policy = new FormData($('choose')).get('policy');
    if (POLICIES.includes(policy)) void makeRequest(policy);
  });
  $('scan-worker').addEventListener('click', () => {
    const policy = new FormData($('choose')).get('policy');
    if (POLICIES.includes(policy)) scanWorker(policy);
  });
  $('cancel').addEventListener('click', reset);
  $('camera-cancel').addEventListener('click', reset);
  $('next').addEventListener('click', reset);
  render();
  void startOffline();
  keepPageOffline();
}

start();
