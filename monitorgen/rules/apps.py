from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "monitorgen.rules"
    label = "rules"
    verbose_name = "Rules"

    def ready(self) -> None:
        from monitorgen import checks  # noqa: F401 - registers the system checks
