// The page's Content-Security-Policy nonce (the gateway writes a new one into each page it serves),
// for the <style> elements Ant Design adds at run time.

export const nonce: string | undefined =
  document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;

/**
 * Gives the page's nonce to a <style> added to <head> without one. Ant Design's own styles carry it
 * (ConfigProvider's `csp`), but its scrollbar measurement (@rc-component/util getScrollBarSize) adds
 * one that does not: react-component/util#613, ant-design/ant-design#58150, open upstream. Only
 * this origin's scripts run here (script-src 'self'), so every style added is one of ours.
 */
export function nonceForHeadStyles(head: HTMLHeadElement = document.head, value: string | undefined = nonce): void {
  if (!value) return;
  const mark = (node: Node) => {
    if (node instanceof HTMLStyleElement && !node.nonce) node.nonce = value;
  };
  const append = head.appendChild.bind(head);
  const insert = head.insertBefore.bind(head);
  head.appendChild = <T extends Node>(node: T): T => {
    mark(node);
    return append(node);
  };
  head.insertBefore = <T extends Node>(node: T, child: Node | null): T => {
    mark(node);
    return insert(node, child);
  };
}
