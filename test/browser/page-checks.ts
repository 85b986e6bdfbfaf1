import type { Page } from 'playwright-core';

/**
 * Controls a screen reader would announce without a name: inputs, selects and textareas without a label,
 * `aria-label` or `aria-labelledby`; buttons and links without text or a label; images without a name.
 * @returns a short description of each, empty when every control is named
 */
export function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const named = (el: Element): boolean => {
      const label = el.getAttribute('aria-label');
      if (label && label.trim()) return true;
      const by = el.getAttribute('aria-labelledby');
      if (by && by.split(/\s+/).some((id) => document.getElementById(id)?.textContent?.trim())) return true;
      if ((el as HTMLInputElement).labels && [...(el as HTMLInputElement).labels!].some((l) => l.textContent?.trim())) return true;
      if (el.matches('button, a') && el.textContent?.trim()) return true;
      if (el.matches('fieldset') && el.querySelector('legend')?.textContent?.trim()) return true;
      return false;
    };
    const offenders: string[] = [];
    for (const el of document.querySelectorAll('input, select, textarea, button, a[href], [role="img"], img, fieldset, [role="dialog"], table')) {
      if (el.matches('table')) {
        if (!el.querySelector('caption') && !el.closest('[aria-labelledby]')) offenders.push(el.outerHTML.slice(0, 120));
        continue;
      }
      if (el.matches('img') && el.getAttribute('alt') !== null) continue;
      if (!named(el)) offenders.push(el.outerHTML.slice(0, 120));
    }
    return offenders;
  });
}

/**
 * Text whose contrast with its background is below WCAG 2.2 AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px
 * bold). The background is the first ancestor's opaque background colour (the console uses no background images).
 * @returns each offender's text, colours and ratio
 */
export function lowContrastText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rgba = (value: string): number[] => (value.match(/[\d.]+/g) ?? ['0', '0', '0', '0']).map(Number).concat(1).slice(0, 4);
    const luminance = ([r, g, b]: number[]): number => {
      const channel = (c: number) => {
        const s = c / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r!) + 0.7152 * channel(g!) + 0.0722 * channel(b!);
    };
    const background = (el: Element | null): number[] => {
      for (let node = el; node; node = node.parentElement) {
        const color = rgba(getComputedStyle(node).backgroundColor);
        if (color[3]! > 0.9) return color;
      }
      return [255, 255, 255, 1];
    };
    const offenders: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || !node.textContent?.trim()) continue;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (style.visibility === 'hidden' || style.display === 'none' || box.width <= 1 || box.height <= 1 || el.closest('[aria-hidden="true"]:not(.required-mark)')) continue;
      if (el.closest('option')) continue;
      const fg = rgba(style.color);
      const bg = background(el);
      const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      const ratio = (light! + 0.05) / (dark! + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) offenders.push(`${node.textContent.trim().slice(0, 40)} (${style.color} on rgb(${bg.slice(0, 3).join(', ')}): ${ratio.toFixed(2)})`);
    }
    return offenders;
  });
}

/** Whether the page scrolls sideways (content wider than the viewport). */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}
