import { LanguageSwitch } from '@citycred/web-ui';
import type { ReactNode } from 'react';

/** The frame both public pages share: the city's header with the language switch, then the page's title and intro. */
export function CityPage({ title, intro, children }: { title: string; intro: string; children: ReactNode }): ReactNode {
  return (
    <>
      <header>
        <p className="brand">서울특별시 CityCred</p>
        <LanguageSwitch />
      </header>
      <main>
        <h1>{title}</h1>
        <p>{intro}</p>
        {children}
      </main>
    </>
  );
}
