import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

const marked = new Marked({ gfm: true, breaks: true, async: false });

/**
 * Markdown (comments) to HTML that is safe to insert into a page: rendered by `marked`, then cleaned
 * by `sanitize-html` with an allowlist: no scripts, styles, event handlers, iframes or images (no
 * tracking pixels), links only to http(s) and mailto, opened in a new tab without the opener.
 */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown) as string;
  return sanitizeHtml(html, {
    allowedTags: [
      "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
      "a", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "input",
    ],
    allowedAttributes: {
      a: ["href", "title", "target", "rel"],
      code: ["class"],
      th: ["align"],
      td: ["align"],
      // GFM task lists render as disabled checkboxes.
      input: ["type", "checked", "disabled"],
    },
    allowedClasses: { code: [/^language-[\w-]+$/] },
    allowedSchemes: ["http", "https", "mailto"],
    allowProtocolRelative: false,
    transformTags: {
      a: sanitizeHtml.simpleTransform("a", { target: "_blank", rel: "noopener noreferrer nofollow" }),
      input: (_tag, attribs) => ({ tagName: "input", attribs: { type: "checkbox", disabled: "", ...(attribs.checked !== undefined ? { checked: "" } : {}) } }),
    },
  });
}
