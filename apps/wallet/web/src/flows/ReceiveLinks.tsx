import type { HolderKey, Vault } from '@citycred/wallet-core';
import { fill, useMessages } from '@citycred/web-ui';
import { useState, type ReactNode } from 'react';
import { Receive } from './Receive.js';
import { FLOW_TEXTS } from './texts.js';

/**
 * The offers of a same-device link (`#receive?offer=…&offer=…`), received one after another: each opens in
 * {@link Receive} as if pasted (asking its transaction code when it has one); once one is stored the next opens. With
 * several, the screen says which one is open and how many arrived, and one can be skipped (an offer that expired).
 */
export function ReceiveLinks({
  links,
  vault,
  holder,
  onOpen,
  onCancel,
  onReceivedLink,
  onContract,
  onAttend,
}: {
  links: readonly string[];
  vault: Vault;
  holder: HolderKey | undefined;
  onOpen: (id: string) => void;
  onCancel: () => void;
  /** Called with each link once its credentials are stored (a labour contract's offers are then marked received). */
  onReceivedLink?: (link: string) => void;
  onContract?: (text: string) => void;
  onAttend?: (text: string) => void;
}): ReactNode {
  const f = useMessages(FLOW_TEXTS);
  const [index, setIndex] = useState(0);
  const [received, setReceived] = useState(0);
  const more = index + 1 < links.length;
  return (
    <>
      {links.length > 1 && (
        <p role="status" className="notice" id="receive-progress" data-index={index + 1} data-received={received}>
          {fill(f.linkOffers, { n: String(index + 1), total: String(links.length), received: String(received) })}
        </p>
      )}
      <Receive
        key={index}
        link={links[index]}
        vault={vault}
        holder={holder}
        onOpen={onOpen}
        onCancel={onCancel}
        {...(onContract ? { onContract } : {})}
        {...(onAttend ? { onAttend } : {})}
        onReceived={() => {
          const link = links[index];
          if (link !== undefined) onReceivedLink?.(link);
          setReceived((count) => count + 1);
          if (more) setIndex(index + 1);
        }}
      />
      {more && (
        <button type="button" className="secondary full" id="receive-skip" onClick={() => setIndex(index + 1)}>
          {f.skipOffer}
        </button>
      )}
    </>
  );
}
