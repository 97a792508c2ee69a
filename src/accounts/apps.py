from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes et organisations"

    def ready(self):
        from core import navigation

        navigation.register(
            "Organisations",
            "accounts:organisations",
            order=90,
            description="Les organisations partenaires du réseau et les territoires qu'elles couvrent.",
        )
