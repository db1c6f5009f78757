// Looks: stable token class names (coloured in app.css, next to the rest of the site's palette)
// and an editor frame that matches the site's form fields.

import { syntaxHighlighting } from "@codemirror/language";
import { EditorView } from "@codemirror/view";
import { tagHighlighter, tags as t } from "@lezer/highlight";

export const tokenClasses = syntaxHighlighting(
  tagHighlighter([
    { tag: t.definition(t.propertyName), class: "cmt-key" },
    { tag: [t.content, t.attributeValue], class: "cmt-value" },
    { tag: t.string, class: "cmt-string" },
    { tag: t.special(t.string), class: "cmt-punct" },
    { tag: t.number, class: "cmt-number" },
    { tag: [t.comment, t.lineComment], class: "cmt-comment" },
    { tag: t.variableName, class: "cmt-metric" },
    { tag: t.function(t.variableName), class: "cmt-function" },
    { tag: [t.operatorKeyword, t.modifier, t.keyword, t.meta], class: "cmt-keyword" },
    { tag: [t.operator, t.logicOperator, t.arithmeticOperator], class: "cmt-op" },
    { tag: t.labelName, class: "cmt-label" },
    { tag: [t.separator, t.punctuation, t.paren, t.squareBracket, t.brace], class: "cmt-punct" },
    { tag: t.typeName, class: "cmt-keyword" },
    { tag: t.invalid, class: "cmt-invalid" },
  ]),
);

export const frame = EditorView.theme({
  "&": {
    backgroundColor: "#fbfcfe",
    color: "#1c2330",
    border: "1px solid #aab3c2",
    borderRadius: "6px",
    fontSize: "0.875rem",
  },
  "&.cm-focused": { outline: "3px solid #f5a524", outlineOffset: "2px", borderColor: "#1d5fd1" },
  ".cm-scroller": {
    fontFamily: 'ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace',
    lineHeight: "1.5",
    minHeight: "14em",
  },
  ".cm-content": { padding: "0.5rem 0", caretColor: "#1c2330" },
  ".cm-gutters": { backgroundColor: "#f1f3f7", color: "#566074", borderRight: "1px solid #d8dde6", borderRadius: "6px 0 0 6px" },
  ".cm-activeLine": { backgroundColor: "#eef3fc" },
  ".cm-activeLineGutter": { backgroundColor: "#e2e9f6", color: "#1c2330" },
  "&.cm-focused .cm-matchingBracket": { backgroundColor: "#cfe3ff", outline: "1px solid #1d5fd1" },
  "&.cm-focused .cm-nonmatchingBracket": { backgroundColor: "#fdecea", outline: "1px solid #b3261e" },
  ".cm-tooltip": { border: "1px solid #d8dde6", borderRadius: "6px", backgroundColor: "#ffffff", boxShadow: "0 4px 12px rgba(16, 24, 40, .12)" },
  ".cm-tooltip-autocomplete > ul": { fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', maxHeight: "16em" },
  ".cm-tooltip-autocomplete > ul > li": { padding: "0.2rem 0.5rem" },
  ".cm-tooltip-autocomplete > ul > li[aria-selected]": { backgroundColor: "#1d5fd1", color: "#ffffff" },
  ".cm-completionDetail": { fontStyle: "normal", color: "#566074", marginLeft: "1em" },
  "li[aria-selected] .cm-completionDetail": { color: "#e6eefc" },
  ".cm-completionMatchedText": { textDecoration: "none", fontWeight: "700" },
  ".cm-diagnostic": { fontFamily: "system-ui, sans-serif" },
});
