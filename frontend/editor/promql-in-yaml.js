// YAML with PromQL inside `expr:` values: one document, two languages.
//
// The rule stays one YAML text (what is saved, diffed and exported), and the expression is
// parsed as PromQL where it lives, so highlighting, bracket matching, completion and syntax
// checks follow the reader into the expression without a second field.

import { CompletionContext } from "@codemirror/autocomplete";
import { ensureSyntaxTree, LanguageSupport, syntaxTree } from "@codemirror/language";
import { yamlLanguage } from "@codemirror/lang-yaml";
import { linter } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { IterMode, parseMixed } from "@lezer/common";
import { LanguageType, newCompleteStrategy, PromQLExtension, promQLLanguage } from "@prometheus-io/codemirror-promql";

import { CatalogClient, describeSeries } from "./catalog.js";

const EXPR_KEYS = new Set(["expr"]);
const promql = promQLLanguage(LanguageType.PromQL);

function keyText(pair, read) {
  const key = pair.getChild("Key");
  if (!key) {
    return null;
  }
  return read(key.from, key.to).trim().replace(/^(["'])(.*)\1$/, "$2");
}

// The PromQL part of a YAML value node under an `expr` key, or null. Quoted values are used
// only when reading them needs no unescaping, so positions in the expression and in the
// document stay the same.
function promqlRange(node, read) {
  const name = node.name;
  let pair = node.node.parent;
  if (name === "BlockLiteralContent") {
    pair = pair && pair.name === "BlockLiteral" ? pair.parent : null;
  } else if (name !== "Literal" && name !== "QuotedLiteral") {
    return null;
  }
  if (!pair || pair.name !== "Pair" || !EXPR_KEYS.has(keyText(pair, read))) {
    return null;
  }
  if (name !== "QuotedLiteral") {
    return { from: node.from, to: node.to };
  }
  const text = read(node.from, node.to);
  const quote = text[0];
  const inner = text.slice(1, text.endsWith(quote) && text.length > 1 ? -1 : undefined);
  const escaped = quote === '"' ? inner.includes("\\") : inner.includes("''");
  return escaped ? null : { from: node.from + 1, to: node.from + 1 + inner.length };
}

export const ruleYamlLanguage = yamlLanguage.configure(
  {
    wrap: parseMixed((node, input) => {
      const range = promqlRange(node, (from, to) => input.read(from, to));
      if (!range) {
        return null;
      }
      const whole = range.from === node.from && range.to === node.to;
      return whole ? { parser: promql.parser } : { parser: promql.parser, overlay: [range] };
    }),
  },
  "rule-yaml",
);

// Where the expressions are, read from the YAML tree (not entering the PromQL inside).
export function exprRegions(state) {
  const read = (from, to) => state.sliceDoc(from, to);
  const regions = [];
  syntaxTree(state).iterate({
    mode: IterMode.IgnoreMounts,
    enter(node) {
      const range = promqlRange(node, read);
      if (range) {
        regions.push(range);
        return false;
      }
      if (node.name === "Pair") {
        // `expr:` with nothing after it yet: the rest of its line is where the expression goes.
        const colon = node.node.getChild(":");
        if (colon && !colon.nextSibling && EXPR_KEYS.has(keyText(node.node, read))) {
          regions.push({ from: colon.to, to: state.doc.lineAt(colon.to).to });
        }
      }
      return undefined;
    },
  });
  return regions;
}

// The expression the cursor is in, counting trailing spaces on a one-line value as inside it.
export function exprRegionAt(state, pos) {
  for (const region of exprRegions(state)) {
    if (pos >= region.from && pos <= region.to) {
      return region;
    }
    const gap = state.sliceDoc(region.to, pos);
    if (pos > region.to && /^[ \t]*$/.test(gap)) {
      return { from: region.from, to: pos };
    }
  }
  return null;
}

// codemirror-promql works on a whole editor state; give it one holding just the expression.
function expressionState(state, region) {
  const inner = EditorState.create({ doc: state.sliceDoc(region.from, region.to), extensions: [promql] });
  ensureSyntaxTree(inner, inner.doc.length, 200);
  return inner;
}

function shifted(result, offset, vocabulary) {
  return {
    ...result,
    from: result.from + offset,
    to: result.to === undefined ? undefined : result.to + offset,
    options: result.options.map((option) => {
      const entry = vocabulary.series.get(option.label);
      return entry ? { ...option, detail: describeSeries(option.label, entry), info: undefined } : option;
    }),
  };
}

// `vocabulary` is a function giving a promise of the catalog's names (see catalog.js).
export function promqlCompletion(vocabulary) {
  const strategy = newCompleteStrategy({ remote: new CatalogClient(vocabulary) });
  return async (context) => {
    const region = exprRegionAt(context.state, context.pos);
    if (!region) {
      return null;
    }
    const inner = new CompletionContext(expressionState(context.state, region), context.pos - region.from, context.explicit);
    const [result, words] = await Promise.all([strategy.promQL(inner), vocabulary()]);
    return result ? shifted(result, region.from, words) : null;
  };
}

// PromQL syntax problems, underlined where they are; the server's validation has the last word.
export function promqlLinter() {
  const check = new PromQLExtension().getLinter().promQL();
  return linter(
    (view) =>
      exprRegions(view.state).flatMap((region) => {
        if (!view.state.sliceDoc(region.from, region.to).trim()) {
          return [];
        }
        return check({ state: expressionState(view.state, region) }).map((problem) => ({
          ...problem,
          from: problem.from + region.from,
          to: problem.to + region.from,
        }));
      }),
    { delay: 400 },
  );
}

export function ruleYaml() {
  return new LanguageSupport(ruleYamlLanguage);
}

export { EXPR_KEYS };
