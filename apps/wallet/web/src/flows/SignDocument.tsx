import type { PresentationTransaction } from '@citycred/wallet-core';
import { useMessages } from '@citycred/web-ui';
import type { ReactNode } from 'react';

type SignTexts = Record<'title' | 'explain' | 'fileName' | 'mediaType' | 'hash' | 'checkHash' | 'sign' | 'signing', string>;

/** The texts of a document signature's consent, Korean and English (docs/e-signature.md). */
export const SIGN_TEXTS: Readonly<Record<'ko' | 'en', SignTexts>> = {
  ko: {
    title: '문서에 서명 / Sign a document',
    explain: '아래 문서의 해시(지문)에 시민카드 키로 서명합니다. 문서 자체는 보내지 않습니다. 서명한 뒤에는 되돌릴 수 없습니다.',
    fileName: '파일 이름',
    mediaType: '파일 형식',
    hash: '문서 해시 (SHA-256)',
    checkHash: '서명을 요청한 화면에 보이는 해시와 같은지 확인하세요.',
    sign: '서명하기',
    signing: '서명하는 중…',
  },
  en: {
    title: '문서에 서명 / Sign a document',
    explain: "You sign the hash (fingerprint) of the document below with your citizen card's key. The document itself is not sent. A signature cannot be undone.",
    fileName: 'File name',
    mediaType: 'File type',
    hash: 'Document hash (SHA-256)',
    checkHash: 'Check that it is the hash shown on the page that asked you to sign.',
    sign: 'Sign',
    signing: 'Signing…',
  },
};

/** The hash in groups of eight hex digits, easier to compare by eye. */
function groupedHash(hash: string): string {
  return (hash.startsWith('0x') ? hash.slice(2) : hash).match(/.{1,8}/g)?.join(' ') ?? hash;
}

/**
 * What a request asks the citizen to sign besides presenting (OpenID4VP `transaction_data`, read and checked by the
 * wallet core: only document signatures are accepted): each document's name, type and hash, above the consent screen.
 */
export function SignDocument({ transactions }: { transactions: readonly PresentationTransaction[] }): ReactNode {
  const s = useMessages(SIGN_TEXTS);
  return (
    <div id="sign-document" className="sign-document">
      <h2 id="sign-document-title">{s.title}</h2>
      <p className="hint">{s.explain}</p>
      {transactions.map((transaction) => (
        <dl key={transaction.encoded} className="sign-document-entry">
          <dt>{s.fileName}</dt>
          <dd className="sign-document-file">{transaction.document.fileName}</dd>
          <dt>{s.mediaType}</dt>
          <dd>{transaction.document.mediaType}</dd>
          <dt>{s.hash}</dt>
          <dd className="sign-document-hash" data-hash={transaction.document.hash}>
            <code>{groupedHash(transaction.document.hash)}</code>
          </dd>
        </dl>
      ))}
      <p className="notice">{s.checkHash}</p>
    </div>
  );
}
