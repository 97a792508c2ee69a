from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes et organisations"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts import second_factor
        from core import navigation

        user_logged_in.connect(second_factor.on_user_logged_in, dispatch_uid="accounts.second_factor")

        navigation.register(
            "Organisations",
            "accounts:organisations",
            order=90,
            description="Les organisations partenaires du réseau et les territoires qu'elles couvrent.",
        )
