// The public check page (docs/certificates.md): reads a credential from the URL fragment (#vc= or #ref=), a pasted
// text, or a QR code read with the camera, from a certificate PDF or from an image; asks this verifier's
// POST /credentials/verify, and shows one verdict. Everything the page shows from a credential is set as text
// (textContent), never as markup.
import { MAX_PDF_BYTES, MAX_PDF_PAGES, readPdfQr } from './pdf-qr.js';
import { decodeContext, readQrImage, startCamera } from './qr-reader.js';
import { claimsTrusted, verdictOf } from './verdict.js';

const TEXT = {
  ko: {
    title: '증명서 진위 확인',
    intro: '전자증명서의 QR 코드를 카메라로 스캔하거나, 증명서 PDF 파일이나 QR 코드 이미지를 올리거나, 증명서를 붙여넣으면 발급기관의 전자서명, 발급기관 인가, 폐기 여부와 블록체인 기록을 확인합니다.',
    pasteLabel: '증명서 붙여넣기 (JWT 또는 QR의 주소)',
    check: '확인',
    uploadLabel: 'QR 코드 이미지로 확인',
    waysTitle: 'QR 코드 읽기',
    cameraStart: '카메라로 QR 코드 스캔',
    cameraTitle: '증명서의 QR 코드를 카메라에 비추세요',
    cameraPreview: '카메라 미리보기',
    cameraStop: '카메라 끄기',
    pdfLabel: '증명서 PDF 파일로 확인',
    checking: '확인하는 중…',
    pdfOpening: 'PDF 파일을 여는 중…',
    pdfReading: 'PDF에서 QR 코드를 찾는 중… ({page}/{pages}쪽)',
    pdfTooLarge: '파일이 너무 큽니다. {limit} MB 이하의 PDF 파일만 확인할 수 있습니다.',
    pdfNotPdf: 'PDF 파일이 아니거나 손상된 파일이라 읽을 수 없습니다.',
    pdfLocked: '암호가 걸린 PDF는 읽을 수 없습니다. 암호가 없는 증명서 파일을 올려 주세요.',
    pdfNoQr: 'PDF에서 QR 코드를 찾지 못했습니다. (앞에서부터 {pages}쪽까지 찾습니다)',
    cameraDenied: '카메라 사용이 허용되지 않았습니다. 브라우저 설정에서 이 사이트의 카메라 권한을 허용한 뒤 다시 시도하세요.',
    cameraMissing: '사용할 수 있는 카메라가 없습니다. QR 코드 이미지나 PDF 파일로 확인하세요.',
    cameraBusy: '카메라를 켜지 못했습니다. 다른 앱이 카메라를 쓰고 있다면 닫고 다시 시도하세요.',
    cameraUnsupported: '이 브라우저에서는 카메라를 쓸 수 없습니다. 최신 브라우저에서 HTTPS 주소로 열어 주세요.',
    cameraInterrupted: '화면을 벗어나 카메라를 껐습니다. 다시 스캔하려면 버튼을 누르세요.',
    verdicts: {
      genuine: ['진본', '발급기관이 발급한 그대로이며 현재 유효합니다.'],
      pending: ['확인 중', '전자서명은 유효합니다. 블록체인 기록은 아직 처리 중입니다. 잠시 후 다시 확인하세요.'],
      altered: ['변조됨', '발급된 내용과 다릅니다. 이 증명서를 믿지 마세요.'],
      revoked: ['폐기·정지됨', '발급기관이 이 증명서를 폐기하거나 정지했습니다.'],
      expired: ['만료됨', '유효기간이 지났거나 아직 유효하지 않은 증명서입니다.'],
      'unknown-issuer': ['알 수 없는 발급기관', '발급 당시 서울시가 인가한 발급기관이 아닙니다.'],
      'not-verified': ['검증 실패', '증명서를 확인하지 못했습니다. 아래 항목을 보세요.'],
    },
    unavailable: '지금은 확인할 수 없습니다. 잠시 후 다시 시도하세요.',
    unreadable: '증명서를 읽을 수 없습니다.',
    noQr: '이미지에서 QR 코드를 찾지 못했습니다.',
    refRefused: '이 증명서의 참조 주소는 등록된 발급기관의 주소가 아닙니다.',
    refMissing: '참조된 증명서를 발급기관에서 찾지 못했습니다.',
    issuer: '발급기관',
    issued: '발급일시',
    validUntil: '유효기한',
    noLimit: '기한 없음',
    claims: '증명 내용',
    claimsHidden: '전자서명이 확인되지 않아 내용을 표시하지 않습니다.',
    checks: '확인 항목',
    yes: '예',
    no: '아니오',
    checkNames: { format: '형식', signature: '전자서명', validity: '유효기간', schema: '스키마', status: '폐기·정지 여부', 'issuer-accreditation': '발급기관 인가', anchor: '블록체인 기록', 'holder-binding': '소지자 확인' },
    statuses: { passed: '통과', failed: '실패', pending: '대기', skipped: '건너뜀' },
    // What each check's outcome means, in Korean: the verifier's own detail is in English and is shown under it.
    checkMeanings: {
      format: { passed: '증명서를 읽을 수 있습니다.', failed: '증명서 형식이 올바르지 않거나 손상되었습니다.' },
      signature: { passed: '발급기관의 전자서명이 맞습니다.', failed: '전자서명이 맞지 않습니다. 내용이 바뀌었거나 발급기관이 서명한 것이 아닙니다.', pending: '지금은 전자서명을 확인할 수 없습니다.' },
      validity: { passed: '유효기간 안에 있습니다.', failed: '유효기간이 지났거나 아직 시작되지 않았습니다.' },
      schema: { passed: '항목이 증명서 종류의 양식과 맞습니다.', failed: '항목이 증명서 종류의 양식과 맞지 않습니다.', skipped: '이 종류의 양식은 확인하지 않았습니다.' },
      status: { passed: '폐기되거나 정지되지 않았습니다.', failed: '발급기관이 폐기했거나 정지했습니다.', pending: '폐기 여부를 아직 확인할 수 없습니다.', skipped: '폐기 여부를 확인하지 않았습니다.' },
      'issuer-accreditation': { passed: '서울시가 인가한 발급기관입니다.', failed: '서울시가 이 증명서 종류에 대해 인가한 발급기관이 아닙니다.', pending: '발급기관 인가를 지금은 확인할 수 없습니다.', skipped: '발급기관 인가는 확인하지 않았습니다.' },
      anchor: { passed: '서울시 블록체인에 기록되어 있습니다.', failed: '서울시 블록체인 기록과 맞지 않습니다.', pending: '블록체인 기록을 기다리는 중입니다.', skipped: '블록체인 기록은 확인하지 않았습니다.' },
      'holder-binding': { passed: '제출한 사람이 증명서의 소지자입니다.', failed: '제출한 사람이 증명서의 소지자인지 확인되지 않았습니다.' },
    },
    technicalDetail: '자세한 내용 (영문)',
    other: 'English',
  },
  en: {
    title: 'Check a certificate',
    intro: 'Scan a certificate’s QR code with the camera, upload the certificate PDF or a picture of its QR code, or paste the credential: the page checks the issuer’s signature, its accreditation, revocation and the record on the city chain.',
    pasteLabel: 'Paste a credential (JWT or the QR’s address)',
    check: 'Check',
    uploadLabel: 'Check from a QR code image',
    waysTitle: 'Read a QR code',
    cameraStart: 'Scan the QR code with the camera',
    cameraTitle: 'Hold the certificate’s QR code in front of the camera',
    cameraPreview: 'Camera preview',
    cameraStop: 'Turn the camera off',
    pdfLabel: 'Check from the certificate PDF',
    checking: 'Checking…',
    pdfOpening: 'Opening the PDF…',
    pdfReading: 'Looking for the QR code in the PDF… (page {page} of {pages})',
    pdfTooLarge: 'The file is too large: the page reads PDF files of up to {limit} MB.',
    pdfNotPdf: 'This file is not a PDF, or it is damaged and cannot be read.',
    pdfLocked: 'This PDF is password-protected and cannot be read. Upload the certificate file without a password.',
    pdfNoQr: 'No QR code was found in the PDF (the page searches its first {pages} pages).',
    cameraDenied: 'The camera was not allowed. Allow this site to use the camera in the browser’s settings, then try again.',
    cameraMissing: 'No camera is available. Check from a QR code image or the PDF instead.',
    cameraBusy: 'The camera could not be turned on. If another app is using it, close that app and try again.',
    cameraUnsupported: 'This browser cannot use the camera here. Open the page over HTTPS in an up-to-date browser.',
    cameraInterrupted: 'The camera was turned off because you left the page. Press the button to scan again.',
    verdicts: {
      genuine: ['Genuine', 'Exactly as the issuer issued it, and valid now.'],
      pending: ['Being confirmed', 'The signature is valid; the record on the city chain is still being written. Check again shortly.'],
      altered: ['Altered', 'This is not what the issuer issued. Do not trust this certificate.'],
      revoked: ['Revoked or suspended', 'The issuer revoked or suspended this certificate.'],
      expired: ['Expired', 'The certificate is past its validity (or not valid yet).'],
      'unknown-issuer': ['Unknown issuer', 'The issuer was not accredited by the city when it issued this.'],
      'not-verified': ['Not verified', 'The certificate could not be verified; see the checks below.'],
    },
    unavailable: 'The check cannot be done right now. Please try again shortly.',
    unreadable: 'This is not a credential the page can read.',
    noQr: 'No QR code was found in the image.',
    refRefused: 'The certificate’s reference does not point at the registered issuer.',
    refMissing: 'The issuer has no certificate with this reference.',
    issuer: 'Issuer',
    issued: 'Issued',
    validUntil: 'Valid until',
    noLimit: 'No time limit',
    claims: 'What it says',
    claimsHidden: 'The signature did not check out, so its contents are not shown.',
    checks: 'Checks',
    yes: 'Yes',
    no: 'No',
    checkNames: { format: 'Format', signature: 'Signature', validity: 'Validity period', schema: 'Schema', status: 'Revocation', 'issuer-accreditation': 'Issuer accreditation', anchor: 'City chain record', 'holder-binding': 'Holder binding' },
    statuses: { passed: 'passed', failed: 'failed', pending: 'pending', skipped: 'skipped' },
    other: '한국어',
  },
};

const $ = (id) => document.getElementById(id);
let lang = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'ko';
let settings = { issuerOrigins: [], types: {} };
/** What is on screen, so a language switch redraws it: null, `{message, values?}` or `{answer, description}`. */
let shown = null;
/** The camera while it is on. */
let camera = null;
/** Counts the readings started (camera, PDF, image): a reading overtaken by a newer one is not shown. */
let reading = 0;

/** The camera and PDF messages' problem names. */
const CAMERA_MESSAGES = { denied: 'cameraDenied', 'no-camera': 'cameraMissing', busy: 'cameraBusy', unsupported: 'cameraUnsupported', interrupted: 'cameraInterrupted' };
const PDF_MESSAGES = { 'too-large': 'pdfTooLarge', 'not-pdf': 'pdfNotPdf', locked: 'pdfLocked', 'no-qr': 'pdfNoQr', unavailable: 'unavailable' };

/** A message's text with its `{name}` placeholders filled. */
function fill(text, values = {}) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function base64urlText(part) {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** The credential a pasted text, a QR's content or a fragment carries: `{credential}` or `{reference}`. */
function parseInput(raw) {
  const text = raw.trim();
  const hash = text.indexOf('#');
  const fragment = hash >= 0 ? text.slice(hash + 1) : text;
  if (fragment.startsWith('vc=')) return { credential: fragment.slice(3) };
  if (fragment.startsWith('ref=')) return { reference: fragment.slice(4) };
  if (text.startsWith('{')) {
    try {
      return { credential: JSON.parse(text) };
    } catch {
      return { credential: text };
    }
  }
  return { credential: text };
}

/** Registered JWT claims and SD-JWT machinery: not claims about the subject. */
const NOT_SUBJECT = new Set(['iss', 'sub', 'iat', 'nbf', 'exp', 'jti', 'cnf', 'vct', 'status', '_sd', '_sd_alg', 'aud']);

/** What the page shows of a credential, read locally (the verifier's checks say whether to trust it). */
function describe(credential) {
  let compact = credential;
  if (typeof credential === 'object' && credential !== null) {
    if (credential.proof && typeof credential.proof.jwt === 'string') compact = credential.proof.jwt;
    else if (typeof credential.id === 'string' && credential.id.startsWith('data:')) compact = credential.id.slice(credential.id.indexOf(',') + 1);
  }
  if (typeof compact !== 'string') return null;
  const [jwt, ...disclosures] = compact.split('~');
  const payload = JSON.parse(base64urlText(jwt.split('.')[1] ?? ''));
  const time = (seconds) => (typeof seconds === 'number' ? new Date(seconds * 1000) : undefined);
  if (payload.vc) {
    const vc = payload.vc;
    return { types: vc.type ?? [], issuer: payload.iss, issued: time(payload.nbf), validUntil: time(payload.exp), claims: vc.credentialSubject ?? {} };
  }
  if (typeof payload.vct === 'string') {
    const claims = {};
    for (const [name, value] of Object.entries(payload)) if (!NOT_SUBJECT.has(name)) claims[name] = value;
    for (const disclosure of disclosures) {
      if (!disclosure || disclosure.includes('.')) continue;
      const decoded = JSON.parse(base64urlText(disclosure));
      if (Array.isArray(decoded) && decoded.length === 3 && typeof decoded[1] === 'string') claims[decoded[1]] = decoded[2];
    }
    return { types: [payload.vct.slice(payload.vct.lastIndexOf('/') + 1)], issuer: payload.iss, issued: time(payload.iat), validUntil: time(payload.exp), claims };
  }
  const date = (iso) => (typeof iso === 'string' ? new Date(iso) : undefined);
  return { types: payload.type ?? [], issuer: typeof payload.issuer === 'object' ? payload.issuer?.id : payload.issuer, issued: date(payload.validFrom) ?? time(payload.iat), validUntil: date(payload.validUntil), claims: payload.credentialSubject ?? {} };
}

function claimRows(claims, titles, prefix = [], titlePath = []) {
  const rows = [];
  for (const [name, value] of Object.entries(claims)) {
    if (prefix.length === 0 && name === 'id') continue;
    const path = [...titlePath, name];
    const label = [...prefix, titles[path.join('.')] ?? name];
    if (value && typeof value === 'object' && !Array.isArray(value)) rows.push(...claimRows(value, titles, label, path));
    else rows.push([label.join(' · '), value]);
  }
  return rows;
}

function show(value) {
  const t = TEXT[lang];
  if (value === true) return t.yes;
  if (value === false) return t.no;
  if (Array.isArray(value)) return value.map(show).join(', ');
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function kst(date) {
  const text = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { timeZone: 'Asia/Seoul', dateStyle: 'long', timeStyle: 'short' }).format(date);
  return `${text} (KST)`;
}

function render() {
  const t = TEXT[lang];
  document.documentElement.lang = lang;
  document.title = t.title;
  for (const node of document.querySelectorAll('[data-text]')) node.textContent = t[node.dataset.text];
  $('language').textContent = t.other;
  $('camera-preview').setAttribute('aria-label', t.cameraPreview);
  $('camera').hidden = camera === null;
  $('camera-start').disabled = camera !== null;
  const out = $('result');
  out.replaceChildren();
  if (!shown) return;
  if (shown.message) {
    out.append(element('p', fill(t[shown.message], shown.values), 'message'));
    return;
  }
  const { answer, description } = shown;
  const verdict = verdictOf(answer);
  const [headline, explanation] = t.verdicts[verdict];
  const banner = element('section', undefined, `verdict verdict-${verdict}`);
  banner.id = 'verdict';
  banner.dataset.verdict = verdict;
  banner.setAttribute('role', 'status');
  banner.append(element('h2', headline), element('p', explanation));
  out.append(banner);

  if (description && claimsTrusted(answer)) {
    const type = description.types.filter((name) => name !== 'VerifiableCredential').at(-1) ?? '';
    const info = settings.types[type];
    const card = element('section', undefined, 'credential');
    card.append(element('h3', info ? info[lang] : type));
    const facts = element('dl');
    const fact = (label, value) => facts.append(element('dt', label), element('dd', value));
    fact(t.issuer, description.issuer ?? '—');
    if (description.issued) fact(t.issued, kst(description.issued));
    fact(t.validUntil, description.validUntil ? kst(description.validUntil) : t.noLimit);
    const claimsTitle = element('h4', t.claims);
    claimsTitle.id = 'claims-title';
    card.append(facts, claimsTitle);
    const table = element('table', undefined, 'claims');
    table.setAttribute('aria-labelledby', 'claims-title');
    for (const [label, value] of claimRows(description.claims, info?.titles ?? {})) {
      const row = element('tr');
      row.append(element('th', label), element('td', show(value)));
      table.append(row);
    }
    card.append(table);
    out.append(card);
  } else if (description) {
    out.append(element('p', t.claimsHidden, 'message'));
  }

  const checks = element('section', undefined, 'checks');
  checks.append(element('h3', t.checks));
  const list = element('ul');
  for (const check of Array.isArray(answer.checks) ? answer.checks : []) {
    const item = element('li', undefined, `check check-${check.status}`);
    item.append(element('strong', t.checkNames[check.id] ?? String(check.id)), element('span', ` ${t.statuses[check.status] ?? String(check.status)}`, 'status'));
    const meaning = t.checkMeanings?.[check.id]?.[check.status];
    if (meaning) {
      // Korean: what the outcome means, and the verifier's English detail folded away for whoever needs it.
      item.append(element('small', meaning));
      const more = element('details', undefined, 'detail');
      more.append(element('summary', t.technicalDetail), element('small', String(check.detail ?? '')));
      item.append(more);
    } else {
      item.append(element('small', String(check.detail ?? '')));
    }
    list.append(item);
  }
  checks.append(list);
  out.append(checks);
}

async function check(input) {
  // A check is part of the reading that asked for it: a newer reading makes its answer go unheard.
  const mine = reading;
  shown = { message: 'checking' };
  render();
  let credential = input.credential;
  if (input.reference !== undefined) {
    let url;
    try {
      url = new URL(input.reference);
    } catch {
      url = undefined;
    }
    if (!url || !settings.issuerOrigins.includes(url.origin) || !url.pathname.startsWith('/certificates/')) {
      shown = { message: 'refRefused' };
      return render();
    }
    const res = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' }).catch(() => null);
    if (mine !== reading) return;
    if (!res || res.status >= 500) {
      shown = { message: 'unavailable' };
      return render();
    }
    const body = res.ok ? await res.json().catch(() => null) : null;
    if (mine !== reading) return;
    if (!body || typeof body.credential !== 'string') {
      shown = { message: 'refMissing' };
      return render();
    }
    credential = body.credential;
  }
  let description = null;
  try {
    description = describe(credential);
  } catch {
    description = null;
  }
  const res = await fetch('/credentials/verify', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ verifiableCredential: credential }),
  }).catch(() => null);
  const answer = res && (res.status === 200 || res.status === 400) ? await res.json().catch(() => null) : null;
  if (mine !== reading) return;
  if (!answer || !Array.isArray(answer.checks)) {
    shown = { message: res && res.status === 400 ? 'unreadable' : 'unavailable' };
    return render();
  }
  shown = { answer, description };
  render();
}

function say(message, values) {
  shown = { message, values };
  render();
}

function stopCamera() {
  camera?.stop();
  camera = null;
}

/** Starts a reading: stops the camera, and makes any reading still running go unheard. */
function newReading() {
  stopCamera();
  reading += 1;
  return reading;
}

function scanWithCamera() {
  const mine = newReading();
  shown = null;
  camera = startCamera($('camera-preview'), {
    onText(text) {
      if (mine !== reading) return true;
      camera = null;
      void check(parseInput(text));
      return true;
    },
    onProblem(problem) {
      if (mine !== reading) return;
      camera = null;
      say(CAMERA_MESSAGES[problem]);
      $('camera-start').focus();
    },
  });
  render();
  $('camera-stop').focus();
}

async function checkPdf(file) {
  const mine = newReading();
  say('pdfOpening');
  const found = await readPdfQr(file, decodeContext, (page, pages) => {
    if (mine === reading) say('pdfReading', { page, pages });
  }).catch(() => ({ problem: 'not-pdf' }));
  if (mine !== reading) return;
  if ('text' in found) return check(parseInput(found.text));
  say(PDF_MESSAGES[found.problem], { limit: MAX_PDF_BYTES / (1024 * 1024), pages: MAX_PDF_PAGES });
}

async function checkImage(file) {
  const mine = newReading();
  const data = await readQrImage(file).catch(() => undefined);
  if (mine !== reading) return;
  if (data) void check(parseInput(data));
  else say('noQr');
}

function fromFragment() {
  const fragment = location.hash.slice(1);
  if (!fragment.startsWith('vc=') && !fragment.startsWith('ref=')) return;
  newReading();
  void check(parseInput(`#${fragment}`));
}

async function start() {
  settings = await fetch('/check/settings.json').then((res) => res.json());
  $('language').addEventListener('click', () => {
    lang = lang === 'ko' ? 'en' : 'ko';
    render();
  });
  $('paste-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('paste').value;
    if (text.trim()) {
      newReading();
      void check(parseInput(text));
    }
  });
  $('camera-start').addEventListener('click', scanWithCamera);
  $('camera-stop').addEventListener('click', () => {
    newReading();
    render();
    $('camera-start').focus();
  });
  for (const [id, read] of [['pdf-file', checkPdf], ['qr-image', checkImage]]) {
    $(id).addEventListener('change', () => {
      const file = $(id).files?.[0];
      // Cleared, so choosing the same file again reads it again.
      $(id).value = '';
      if (file) void read(file);
    });
  }
  window.addEventListener('hashchange', fromFragment);
  render();
  fromFragment();
}

void start();
