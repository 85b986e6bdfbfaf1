// The employer scanner (docs/oid4vp.md, "The employer scanner"): the employer picks a credential policy, the page makes
// an OpenID4VP presentation request on this verifier, shows its QR code and deep link, follows the request's event
// stream and shows the decision, green or red, criterion by criterion. It shows nothing the decision does not say:
// the verifier keeps no disclosed claims, and the page never asks for any.
import { outcomeOf } from './outcome.js';

const TEXT = {
  ko: {
    title: '채용 자격 확인',
    intro: '지원자는 지갑 앱으로 QR 코드를 스캔해 필요한 사항만 제출합니다. 이 화면에는 결과와 그 이유만 표시되며 개인정보는 표시되지 않습니다.',
    legend: '무엇을 확인할까요?',
    'age-over-18': '만 18세 이상',
    'age-over-19': '만 19세 이상',
    'seoul-resident': '서울 거주',
    'work-history': '경력',
    start: '확인용 QR 코드 만들기',
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
    },
    unavailable: '지금은 요청을 만들 수 없습니다. 잠시 후 다시 시도하세요.',
    lost: '결과를 받아오지 못했습니다. 다시 시도하세요.',
    other: 'English',
  },
  en: {
    title: 'Employer check',
    intro: 'The applicant scans the QR code with their wallet app and shares only what is asked. This screen shows the result and its reasons, never personal data.',
    legend: 'What do you want to check?',
    'age-over-18': 'Age 18 or over',
    'age-over-19': 'Age 19 or over',
    'seoul-resident': 'Lives in Seoul',
    'work-history': 'Work history',
    start: 'Show the request QR code',
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
    },
    unavailable: 'A request cannot be made right now. Please try again shortly.',
    lost: 'The result could not be fetched. Please try again.',
    other: '한국어',
  },
};

const POLICIES = ['age-over-18', 'age-over-19', 'seoul-resident', 'work-history'];
const SVG_NS = 'http://www.w3.org/2000/svg';

const $ = (id) => document.getElementById(id);
let lang = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'ko';
/** What is on screen, so a language switch redraws it: choose, creating, waiting, done (with the outcome) or a message. */
let view = { phase: 'choose' };
/** The open event stream, and a counter that makes answers of an abandoned request go unheard. */
let source = null;
let attempt = 0;

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
  const done = view.phase === 'done' || view.phase === 'message';
  $('choose').hidden = waiting || done;
  $('start').disabled = view.phase === 'creating';
  $('request').hidden = !waiting;
  $('next-wrap').hidden = !done;
  $('asked').textContent = waiting ? `${t.asked}: ${t[view.policy]}` : '';

  const out = $('result');
  out.replaceChildren();
  if (view.phase === 'creating' || view.phase === 'waiting') out.append(element('p', t[view.phase], 'message'));
  else if (view.phase === 'message') out.append(element('p', t[view.message], 'message'));
  else if (view.phase === 'done') out.append(outcomePanel(view.outcome, t));
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
  if (outcome.reason) panel.append(element('p', t.reasons[outcome.reason] ?? t.reasons['not-verified'], 'plain-reason'));
  return panel;
}

function stopFollowing() {
  attempt += 1;
  source?.close();
  source = null;
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

function start() {
  $('language').addEventListener('click', () => {
    lang = lang === 'ko' ? 'en' : 'ko';
    render();
  });
  $('choose').addEventListener('submit', (event) => {
    event.preventDefault();
    const policy = new FormData($('choose')).get('policy');
    if (POLICIES.includes(policy)) void makeRequest(policy);
  });
  $('cancel').addEventListener('click', reset);
  $('next').addEventListener('click', reset);
  render();
}

start();
