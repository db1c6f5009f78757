from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "monitorgen.accounts"
    label = "accounts"
    verbose_name = "Teams and roles"
