/**
 * Escaping for the HTML and Markdown reports. Every string that comes from
 * the data (ids, categories, reasons, summaries that quote them) passes
 * through one of these before it reaches a document.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or attribute value for HTML: `& < > " '` become entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * JSON for a `<script type="application/json">` element: `<`, `>` and `&`
 * become `\u003c` … so that no `</script>` or `<!--` can end or confuse the
 * element; U+2028/2029 are escaped too. `JSON.parse` gives the value back.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * JavaScript source for an inline `<script>`: `</script` and `<!--` cannot
 * appear (they are rewritten to `<\/script` and `<\!--`, equivalent inside JS
 * strings, regular expressions and comments), and `sourceMappingURL`
 * comments are dropped (the map files are not shipped with the report).
 */
export function inlineScript(source: string): string {
  return source
    .replace(/\/[/*][#@]\s*sourceMappingURL=[^\n]*/g, '')
    .replace(/<\/script/gi, '<\\/script')
    .replace(/<!--/g, '<\\!--');
}

/**
 * Text for Markdown (inline, also inside table cells): newlines folded to
 * spaces, Markdown's inline punctuation (`\ ` * _ [ ] | ~`) backslash-escaped,
 * then `&`, `<` and `>` as HTML entities (Markdown passes raw HTML through).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => HTML_ESCAPES[c]);
}
