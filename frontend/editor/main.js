// monitorgen's rule editor: upgrades every <textarea data-editor="yaml"> into a CodeMirror 6
// editor for a rule's YAML, with PromQL inside `expr:`. Progressive enhancement: the textarea
// stays in the form (hidden) and always holds the editor's text, so plain form posts and htmx
// send exactly what is on screen; without this script the textarea works as before.
//
// Optional attributes on the textarea:
//   data-catalog-url     a JSON vocabulary (series names, types, label names) for completion
//   data-catalog-select  id of a <select> of catalog slugs; data-catalog-url then holds
//                        `__catalog__` where the chosen slug goes
//   aria-describedby     help text, passed on to the editor
// Elements marked data-editor-help (inside the textarea's .field, or data-editor-help="<id of
// the textarea>" anywhere) are shown once the editor exists and describe it.

import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, indentOnInput, indentUnit } from "@codemirror/language";
import { lintKeymap } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from "@codemirror/view";

import { vocabularyOf } from "./catalog.js";
import { promqlCompletion, promqlLinter, ruleYaml } from "./promql-in-yaml.js";
import { ruleKeyCompletion } from "./rule-keys.js";
import { frame, tokenClasses } from "./theme.js";

const SELECTOR = 'textarea[data-editor="yaml"]';
const editors = new WeakMap();
let ids = 0;

function nextId(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}

function labelOf(textarea) {
  if (!textarea.id) {
    return null;
  }
  const label = document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`);
  if (label && !label.id) {
    label.id = nextId(`${textarea.id}-label`);
  }
  return label;
}

// Help that is only true of the editor (its keys) is hidden until the editor exists.
function editorHelp(textarea) {
  const field = textarea.closest(".field") || textarea.parentElement;
  const inField = field ? [...field.querySelectorAll('[data-editor-help=""]')] : [];
  const named = textarea.id ? [...document.querySelectorAll(`[data-editor-help="${CSS.escape(textarea.id)}"]`)] : [];
  const helpIds = [];
  for (const help of [...inField, ...named]) {
    if (!help.id) {
      help.id = nextId(`${textarea.id || "editor"}-keys`);
    }
    help.hidden = false;
    helpIds.push(help.id);
  }
  return helpIds;
}

function accessibleNames(textarea, label) {
  const attributes = { "aria-multiline": "true", spellcheck: "false", autocapitalize: "off", autocorrect: "off" };
  if (label) {
    attributes["aria-labelledby"] = label.id;
  } else if (textarea.getAttribute("aria-label")) {
    attributes["aria-label"] = textarea.getAttribute("aria-label");
  }
  const described = [...(textarea.getAttribute("aria-describedby") || "").split(/\s+/), ...editorHelp(textarea)].filter(Boolean);
  if (described.length) {
    attributes["aria-describedby"] = described.join(" ");
  }
  return EditorView.contentAttributes.of(attributes);
}

function submitKeys(textarea) {
  const submit = () => {
    if (!textarea.form) {
      return false;
    }
    textarea.form.requestSubmit();
    return true;
  };
  return keymap.of([{ key: "Mod-Enter", run: submit }]);
}

function escapeThenTab(view) {
  view.setTabFocusMode(2000);
  return false;
}

export function upgrade(textarea) {
  if (editors.has(textarea) || textarea.dataset.editorReady) {
    // Already an editor (perhaps made by another copy of this script on the page).
    return editors.get(textarea) || null;
  }
  const label = labelOf(textarea);
  const vocabulary = vocabularyOf(textarea);
  vocabulary(); // start fetching now, not at the first completion
  const host = document.createElement("div");
  host.className = "editor-host";
  textarea.after(host);

  const view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        indentUnit.of("  "),
        EditorState.tabSize.of(2),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        EditorView.lineWrapping,
        ruleYaml(),
        tokenClasses,
        frame,
        autocompletion({ override: [promqlCompletion(vocabulary), ruleKeyCompletion], icons: false }),
        promqlLinter(),
        accessibleNames(textarea, label),
        submitKeys(textarea),
        // Tab indents (YAML needs it); Escape then Tab moves on, as the help text says. The
        // first binding makes that true even when Escape also closes a completion popup.
        keymap.of([{ key: "Escape", run: escapeThenTab },
          ...closeBracketsKeymap, ...completionKeymap, ...lintKeymap, ...historyKeymap, indentWithTab, ...defaultKeymap]),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) {
            textarea.value = update.state.doc.toString();
            textarea.dispatchEvent(new Event("input", { bubbles: true }));
          }
        }),
      ],
    }),
  });

  // The server checks for an empty rule and says so; a hidden `required` field would instead
  // make the browser refuse to submit without showing why.
  textarea.required = false;
  textarea.hidden = true;
  textarea.dataset.editorReady = "true";
  if (label) {
    label.addEventListener("click", (event) => {
      event.preventDefault();
      view.focus();
    });
  }
  if (textarea.form) {
    textarea.form.addEventListener("reset", () => {
      // The form resets the textarea after this event; copy its value once that has happened.
      setTimeout(() => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: textarea.value } }));
    });
  }
  editors.set(textarea, view);
  return view;
}

export function upgradeAll(root) {
  const scope = root || document;
  const found = scope.matches && scope.matches(SELECTOR) ? [scope] : [...scope.querySelectorAll(SELECTOR)];
  return found.map(upgrade).filter(Boolean);
}

export function editorFor(textarea) {
  return editors.get(textarea) || null;
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => upgradeAll(document));
} else {
  upgradeAll(document);
}
// Content swapped in by htmx gets editors too.
document.addEventListener("htmx:load", (event) => upgradeAll(event.detail && event.detail.elt));
