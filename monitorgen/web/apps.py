from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "monitorgen.web"
    label = "web"
    verbose_name = "Web UI"
