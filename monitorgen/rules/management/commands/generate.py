"""`manage.py generate`: turn an intent into a validated alerting rule, or a batch of them.

    manage.py generate --catalog SLUG|PATH --intent "..." [--generator embedded|llm] [--format yaml|json]
    manage.py generate --catalog-dir DIR --batch cases.yaml --out results.json

Thin: parses arguments, calls `monitorgen.generation.service`, renders the result. A batch file is
a YAML list of `{id, intent, catalog}` (other keys ignored); `catalog` resolves to
`DIR/<catalog>.yaml`. Progress goes to stderr.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import CommandError, CommandParser

from monitorgen.cli import MonitorgenCommand
from monitorgen.core.catalog import Catalog
from monitorgen.core.errors import InvalidInput, NotFound
from monitorgen.core.generation.result import GenerationRequest, GenerationResult, Status
from monitorgen.core.rulefile import render_rules, rule_to_data

PROGRESS_EVERY = 100
GROUP = "generated"


def result_as_dict(result: GenerationResult) -> dict[str, Any]:
    rules = [rule_to_data(rule) for rule in result.rules]
    return {
        "status": result.status.value,
        "kind": result.rules[0].kind if result.rules else None,
        "rules": rules,
        "yaml": render_rules(list(result.rules), group=GROUP) if result.rules else "",
        "questions": [q.as_dict() for q in result.questions],
        "message": result.message,
        "rationale": result.rationale,
        "validation": result.validation,
        "provenance": result.provenance.as_dict(),
    }


def render_text(result: GenerationResult) -> str:
    if result.status is Status.OK:
        return render_rules(list(result.rules), group=GROUP).rstrip("\n") + (
            f"\n# {result.rationale}" if result.rationale else "")
    if result.status is Status.CLARIFY:
        lines = [f"clarify: {result.message}".rstrip(": ")]
        for question in result.questions:
            options = f" [{', '.join(question.candidates)}]" if question.candidates else ""
            lines.append(f"  {question.field}: {question.text}{options}")
        return "\n".join(lines)
    return f"error: {result.message}"


class Command(MonitorgenCommand):
    help = "Generate a validated Prometheus alerting rule from a plain-language intent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--catalog", help="catalog slug, or path to a catalog YAML file")
        parser.add_argument("--intent", help="what should alert, in plain language")
        parser.add_argument("--generator", choices=("embedded", "llm"), default=None)
        parser.add_argument("--format", choices=("yaml", "json"), default="yaml")
        parser.add_argument("--batch", type=Path, help="YAML list of {id, intent, catalog}")
        parser.add_argument("--catalog-dir", dest="catalog_dir", type=Path,
                            help="directory of <catalog>.yaml files for --batch")
        parser.add_argument("--out", type=Path, help="write batch results (JSON) here")
        parser.add_argument("--no-promtool", dest="promtool", action="store_false",
                            help="skip promtool (static validation only)")

    def handle(self, *args: Any, **options: Any) -> None:
        from monitorgen.generation.service import get_generator

        generator = get_generator(options["generator"]) if options["generator"] else None
        if options["batch"]:
            self._batch(options, generator)
            return
        if not options["catalog"] or options["intent"] is None:
            raise CommandError("give --catalog and --intent, or --batch with --catalog-dir")
        self._single(options, generator)

    def _single(self, options: dict[str, Any], generator: Any) -> None:
        from monitorgen.catalogs.selectors import catalog_resolve
        from monitorgen.generation.service import default_validator, generate

        catalog = catalog_resolve(slug_or_path=options["catalog"])
        result = generate(GenerationRequest(intent=options["intent"], catalog=catalog),
                          generator=generator,
                          validate=default_validator(run_promtool=options["promtool"]))
        if options["format"] == "json":
            self.stdout.write(json.dumps(result_as_dict(result), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(render_text(result))

    def _batch(self, options: dict[str, Any], generator: Any) -> None:
        from monitorgen.core.catalog_io import load_catalog_file
        from monitorgen.generation.service import generate_many

        catalog_dir: Path | None = options["catalog_dir"]
        if catalog_dir is None or not catalog_dir.is_dir():
            raise CommandError("--batch needs --catalog-dir pointing to a directory of catalogs")
        try:
            cases = yaml.safe_load(options["batch"].read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise InvalidInput(f"{options['batch']}: cannot read cases: {exc}") from None
        if not isinstance(cases, list) or not all(
            isinstance(c, dict) and "id" in c and "intent" in c and "catalog" in c for c in cases
        ):
            raise InvalidInput(f"{options['batch']}: expected a YAML list of {{id, intent, catalog}}")
        catalogs: dict[str, Catalog] = {}
        requests: list[GenerationRequest] = []
        for case in cases:
            slug = str(case["catalog"])
            if slug not in catalogs:
                path = catalog_dir / f"{slug}.yaml"
                if not path.is_file():
                    raise NotFound(f"case {case['id']}: no catalog file {path}")
                catalogs[slug] = load_catalog_file(path)
            requests.append(GenerationRequest(intent=str(case["intent"] or ""),
                                              catalog=catalogs[slug]))
        started = time.perf_counter()

        def progress(done: int, results: list[GenerationResult]) -> None:
            if done % PROGRESS_EVERY and done != len(requests):
                return
            ok = sum(1 for r in results if r.status is Status.OK)
            rate = done / max(time.perf_counter() - started, 1e-9)
            self.stderr.write(f"{done}/{len(requests)} cases: {ok} ok, {done - ok} other "
                              f"({rate:.0f} cases/s)")

        results = generate_many(requests, generator=generator, run_promtool=options["promtool"],
                                progress=progress)
        output = {str(case["id"]): result_as_dict(result)
                  for case, result in zip(cases, results, strict=True)}
        text = json.dumps(output, indent=1, ensure_ascii=False)
        if options["out"]:
            options["out"].write_text(text, encoding="utf-8")
            ok = sum(1 for r in results if r.status is Status.OK)
            self.stderr.write(f"wrote {len(results)} results ({ok} ok) to {options['out']} in "
                              f"{time.perf_counter() - started:.1f}s")
        else:
            self.stdout.write(text)
