from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "monitorgen.exports"
    label = "exports"
    verbose_name = "GitOps export and import"
