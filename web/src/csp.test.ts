import { describe, expect, it } from "vitest";
import { nonceForHeadStyles } from "./csp";

describe("styles added to the head", () => {
  it("carry the page's nonce, and keep their own", () => {
    const head = document.implementation.createHTMLDocument("t").head;
    nonceForHeadStyles(head, "abc123");
    const bare = document.createElement("style");
    const own = document.createElement("style");
    own.nonce = "theirs";
    const link = document.createElement("link");
    head.appendChild(bare);
    head.insertBefore(own, bare);
    head.appendChild(link);
    expect(bare.nonce).toBe("abc123");
    expect(own.nonce).toBe("theirs");
    expect(link.nonce).toBe("");
    expect([...head.querySelectorAll("style, link")]).toEqual([own, bare, link]);
  });

  it("leaves the head alone when the page has no nonce (the dev server)", () => {
    const head = document.implementation.createHTMLDocument("t").head;
    const before = head.appendChild;
    nonceForHeadStyles(head, undefined);
    expect(head.appendChild).toBe(before);
  });
});
