from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "initiatives.accounts"
    label = "accounts"
    verbose_name = "Editor accounts"
