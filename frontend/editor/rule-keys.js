// Completion for the YAML around the expression: the keys a rule has, and severity values.
// Which keys fit is read from the nearest less-indented line, so it works while the YAML is
// still half typed (the parse tree is least reliable exactly then).

import { exprRegionAt } from "./promql-in-yaml.js";

const MAPPING = "mapping";
const RULE_KEYS = [
  { label: "alert", detail: "alert name" },
  { label: "expr", detail: "PromQL expression" },
  { label: "for", detail: "how long before it fires" },
  { label: "keep_firing_for", detail: "how long it keeps firing" },
  { label: "labels", detail: "severity and routing labels", kind: MAPPING },
  { label: "annotations", detail: "summary, description, runbook", kind: MAPPING },
];
const KEYS_UNDER = {
  labels: [{ label: "severity", detail: "critical, warning or info" }],
  annotations: [
    { label: "summary", detail: "one line" },
    { label: "description", detail: "what is wrong and what to do" },
    { label: "runbook_url", detail: "link to the runbook" },
  ],
};
const VALUES = { severity: ["critical", "warning", "info"] };

// The key whose mapping a line at `indent` belongs to; for a key in a sequence item
// (`- alert: X` then `  expr: ...`), the key that holds the sequence (`rules`).
function parentKey(state, lineNumber, indent) {
  for (let n = lineNumber - 1; n >= 1; n -= 1) {
    const text = state.doc.line(n).text;
    if (!text.trim() || text.trim().startsWith("#")) {
      continue;
    }
    const match = /^(\s*)(-\s+)?([A-Za-z_][\w.-]*)\s*:/.exec(text);
    const lineIndent = text.length - text.trimStart().length;
    if (match && match[2] && lineIndent + match[2].length === indent) {
      return parentKey(state, n, lineIndent + 1);
    }
    if (lineIndent < indent) {
      return match ? match[3] : null;
    }
  }
  return null;
}

// A whole rule file (or a manifest holding one) has other keys at the top than a rule.
function isRuleFile(state) {
  return /^\s*(groups|spec|apiVersion|namespace)\s*:/m.test(state.sliceDoc(0, Math.min(state.doc.length, 20000)));
}

function keyOption(key, indent) {
  const apply = key.kind === MAPPING ? `${key.label}:\n${" ".repeat(indent + 2)}` : `${key.label}: `;
  return { label: key.label, detail: key.detail, type: "property", apply };
}

export function ruleKeyCompletion(context) {
  const { state, pos } = context;
  if (exprRegionAt(state, pos)) {
    return null;
  }
  const line = state.doc.lineAt(pos);
  const before = line.text.slice(0, pos - line.from);
  const value = /^\s*(?:-\s+)?([A-Za-z_]+):\s*([a-z]*)$/.exec(before);
  if (value && VALUES[value[1]]) {
    return {
      from: pos - value[2].length,
      options: VALUES[value[1]].map((label) => ({ label, type: "enum" })),
      validFor: /^[a-z]*$/,
    };
  }
  const key = /^(\s*)(?:-\s+)?([A-Za-z_]*)$/.exec(before);
  if (!key || (!key[2] && !context.explicit)) {
    return null;
  }
  const indent = before.length - before.trimStart().length;
  const itemKey = /^\s*-\s+/.test(before);
  const parent = itemKey ? parentKey(state, line.number, indent + 1) : indent > 0 ? parentKey(state, line.number, indent) : null;
  const topOfRule = parent === "rules" || (parent === null && !isRuleFile(state));
  const keys = KEYS_UNDER[parent] || (topOfRule ? RULE_KEYS : []);
  if (!keys.length) {
    return null;
  }
  return {
    from: pos - key[2].length,
    options: keys.map((k) => keyOption(k, indent)),
    validFor: /^[A-Za-z_]*$/,
  };
}
