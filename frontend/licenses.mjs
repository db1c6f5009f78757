// Writes the licenses of every npm package that esbuild put into the bundle, read from the
// metafile (so the list is exactly what ships, not what happens to be installed).
// Usage: node licenses.mjs <metafile.json> <directory the build ran in>
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [metafile, root] = process.argv.slice(2);
const inputs = Object.keys(JSON.parse(readFileSync(metafile, "utf8")).inputs);

const packageDirs = new Set();
for (const input of inputs) {
  const parts = input.split("/");
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) {
    continue;
  }
  const length = parts[at + 1].startsWith("@") ? 2 : 1;
  packageDirs.add(parts.slice(0, at + 1 + length).join("/"));
}

const packages = [...packageDirs].map((dir) => {
  const meta = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));
  const files = readdirSync(join(root, dir)).filter((name) => /^(licen[cs]e|copying|notice)/i.test(name)).sort();
  return { name: meta.name, version: meta.version, license: meta.license || "see below", dir, files };
});
packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

const out = [
  "Third-party software in editor.min.js (monitorgen's rule editor bundle)",
  "Built by scripts/build-frontend.sh from frontend/package-lock.json.",
  "",
  ...packages.map((p) => `  ${p.name} ${p.version} (${p.license})`),
  "",
];
for (const p of packages) {
  out.push("=".repeat(78), `${p.name} ${p.version}, license: ${p.license}`, "=".repeat(78));
  if (!p.files.length) {
    out.push(`(the package ships no license file; package.json declares ${p.license})`, "");
  }
  for (const file of p.files) {
    const path = join(root, p.dir, file);
    if (existsSync(path)) {
      out.push(`--- ${file}`, readFileSync(path, "utf8").trimEnd(), "");
    }
  }
}
process.stdout.write(out.join("\n") + "\n");
