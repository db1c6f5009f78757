from django.apps import AppConfig


class CatalogsConfig(AppConfig):
    name = "monitorgen.catalogs"
    label = "catalogs"
    verbose_name = "Metric catalogs"
